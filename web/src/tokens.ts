// The account dialog's token list: each of the user's tokens with its label,
// when it was made and last used, and which one this computer uses; relabel,
// revoke, and make a new one (shown once, to copy to another computer).
import { invoke } from '@tauri-apps/api/core';
import { el } from './dialog';

export interface TokenInfo {
  id: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  current: boolean;
}

interface NewToken {
  id: string;
  label: string;
  token: string;
}

/** "3 Dec 2026, 14:05", or "never". */
export function when(at: string | null): string {
  if (!at) return 'never';
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The section, filled in once the server answers. */
export function tokensSection(): HTMLElement {
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
    invoke<{ tokens: TokenInfo[] }>('my_tokens')
      .then(({ tokens }) => list.replaceChildren(...tokens.map((t) => row(t, refresh, message))))
      .catch((e: unknown) => {
        message.textContent = String(e);
      });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    create.disabled = true;
    invoke<NewToken>('create_token', { label: label.value })
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
        message.textContent = String(err);
      })
      .finally(() => {
        create.disabled = false;
      });
  });
  void refresh();
  return section;
}

function row(t: TokenInfo, refresh: () => Promise<void>, message: HTMLElement): HTMLElement {
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
      invoke('label_token', { id: t.id, label: input.value })
        .then(refresh)
        .catch((err: unknown) => {
          message.textContent = String(err);
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
    invoke('revoke_token', { id: t.id, current: t.current })
      .then(refresh)
      .catch((err: unknown) => {
        message.textContent = String(err);
        revoke.disabled = false;
      });
  });
  return li;
}
