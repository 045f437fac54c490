// The account dialog's token list: each of the user's tokens with its label,
// when it was made and last used, and which one this computer uses; relabel,
// revoke, and make a new one (shown once, to copy to another computer).
import { toShellError, type Backend } from './backend';
import { el } from './dialog';
import type { TokenInfo } from './types';

/** "3 Dec 2026, 14:05", or "never". */
export function when(at: string | null | undefined): string {
  if (!at) return 'never';
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The section, filled in once the server answers. */
export function tokensSection(backend: Backend): HTMLElement {
  const list = el('ul', { className: 'token-list' });
  list.setAttribute('aria-label', 'Your tokens');
  const message = el('p', { className: 'signin-error', role: 'status' });
  const label = el('input', { type: 'text', placeholder: 'Label, e.g. work laptop', maxLength: 100 });
  label.setAttribute('aria-label', 'New token label');
  const create = el('button', { type: 'submit' }, 'New token');
  const shown = el('div', { className: 'token-shown' });
  const form = el('form', { className: 'token-new' }, label, create);
  const section = el('section', { className: 'account-tokens' }, el('h4', {}, 'Tokens'), list, form, shown, message);

  const refresh = (): Promise<void> =>
    backend.tokens
      .mine()
      .then(({ tokens }) => list.replaceChildren(...tokens.map((t) => row(backend, t, refresh, message))))
      .catch((e: unknown) => {
        message.textContent = toShellError(e).message;
      });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    create.disabled = true;
    backend.tokens
      .create({ label: label.value })
      .then((made) => {
        label.value = '';
        message.textContent = '';
        const value = el('input', { type: 'text', readOnly: true, value: made.token, className: 'token-value' });
        value.setAttribute('aria-label', 'The new token');
        shown.replaceChildren(el('p', {}, 'Copy this token now: it is not shown again.'), value);
        value.select();
        return refresh();
      })
      .catch((err: unknown) => {
        message.textContent = toShellError(err).message;
      })
      .finally(() => {
        create.disabled = false;
      });
  });
  void refresh();
  return section;
}

function row(backend: Backend, t: TokenInfo, refresh: () => Promise<void>, message: HTMLElement): HTMLElement {
  const name = el('span', { className: 'token-label' }, t.label || '(no label)');
  const meta = el('span', { className: 'token-meta' }, `made ${when(t.created_at)} · last used ${when(t.last_used_at)}`);
  const rename = el('button', { type: 'button', className: 'token-rename' }, 'Rename');
  rename.setAttribute('aria-label', `Rename token ${t.label || t.id}`);
  const revoke = el('button', { type: 'button', className: 'token-revoke danger' }, t.current ? 'Revoke and sign out' : 'Revoke');
  revoke.setAttribute('aria-label', `Revoke token ${t.label || t.id}`);
  const li = el('li', { className: 'token-row', dataset: { id: t.id } }, name, meta);
  if (t.current) li.append(el('span', { className: 'token-current' }, 'this computer'));
  li.append(rename, revoke);
  rename.addEventListener('click', () => {
    const input = el('input', { type: 'text', value: t.label, maxLength: 100 });
    input.setAttribute('aria-label', 'Token label');
    const f = el('form', { className: 'token-relabel' }, input, el('button', { type: 'submit' }, 'Save'));
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      backend.tokens
        .label({ id: t.id, label: input.value })
        .then(refresh)
        .catch((err: unknown) => {
          message.textContent = toShellError(err).message;
        });
    });
    name.replaceWith(f);
    input.select();
  });
  revoke.addEventListener('click', () => {
    if (revoke.dataset.confirm !== 'yes') {
      revoke.dataset.confirm = 'yes';
      revoke.textContent = t.current ? 'Sure? This signs you out' : 'Sure? Revoke';
      return;
    }
    revoke.disabled = true;
    backend.tokens
      .revoke({ id: t.id, current: t.current })
      .then(refresh)
      .catch((err: unknown) => {
        message.textContent = toShellError(err).message;
        revoke.disabled = false;
      });
  });
  return li;
}
