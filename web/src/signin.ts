// The sign-in screen (first start, or when the stored token stops working)
// and the account dialog (who is signed in where; sign out; switch server).
// Signing in or out starts the app afresh with the new settings.
import { toShellError, type Backend } from './backend';
import { buttons, el, openDialog } from './dialog';
import { tokensSection } from './tokens';
import type { OpenRequest, SignInStatus } from './types';

export type { SignInStatus } from './types';

/** Whether the sign-in screen comes first: no token, or one the server refuses. */
export function needsSignIn(s: SignInStatus): boolean {
  return !s.user && (!s.has_token || s.reachable);
}

export function signInStatus(backend: Backend): Promise<SignInStatus> {
  return backend.signIn.status();
}

/**
 * Sends `form` through `command`: the button waits and `message` says what
 * is happening; on success the app starts afresh, on failure `message`
 * shows why and `retry` gets the focus.
 */
function submitsTo(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  message: HTMLElement,
  busy: string,
  command: () => Promise<unknown>,
  retry?: HTMLElement,
): void {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    message.textContent = busy;
    command()
      .then(() => {
        message.textContent = 'Signed in; starting…';
      })
      .catch((err: unknown) => {
        message.textContent = toShellError(err).message;
        submit.disabled = false;
        retry?.focus();
      });
  });
}

/** A form to sign in: the server's address and a token, checked by the server. */
function signInForm(backend: Backend, status: SignInStatus, onCancel?: () => void): HTMLFormElement {
  const server = el('input', {
    id: 'signin-server',
    type: 'url',
    value: status.server,
    required: true,
  });
  server.setAttribute('list', 'signin-recent');
  const recent = el('datalist', { id: 'signin-recent' }, ...status.recent.map((s) => el('option', { value: s })));
  const token = el('input', { id: 'signin-token', type: 'password', autocomplete: 'off', placeholder: 'tsu_…' });
  const error = el('p', { id: 'signin-error', className: 'signin-error' });
  error.setAttribute('role', 'alert');
  if (status.problem) error.textContent = `Your stored sign-in no longer works: ${status.problem}`;
  const submit = el('button', { id: 'signin-submit', type: 'submit', className: 'primary' }, 'Sign in');
  const form = el(
    'form',
    { id: 'signin-form', className: 'signin-form' },
    el('label', { htmlFor: 'signin-server' }, 'Tessera server'),
    server,
    recent,
    el('label', { htmlFor: 'signin-token' }, 'Your token'),
    token,
    el('p', { className: 'signin-hint' }, 'An administrator gives you a token (tessera-server user add NAME). It is kept in your settings folder, readable by you only.'),
    error,
  );
  const row = el('div', { className: 'modal-buttons' });
  if (onCancel) {
    const cancel = el('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', onCancel);
    row.append(cancel);
  }
  row.append(submit);
  form.append(row);
  submitsTo(form, submit, error, 'Checking with the server…', () =>
    backend.signIn.signIn({ server: server.value, token: token.value }), token);
  queueMicrotask(() => (status.server && !status.problem ? token : server).focus());
  return form;
}

/** Or an invitation link from an administrator: it signs this person in once. */
function invitationForm(backend: Backend, given: string): HTMLFormElement {
  const link = el('input', { id: 'signin-invitation', type: 'text', autocomplete: 'off', placeholder: 'tessera://invite/tsi_…', value: given });
  const error = el('p', { id: 'invitation-error', className: 'signin-error' });
  error.setAttribute('role', 'alert');
  const submit = el('button', { id: 'invitation-submit', type: 'submit' }, 'Use invitation');
  const form = el(
    'form',
    { id: 'invitation-form', className: 'signin-form signin-invitation' },
    el('label', { htmlFor: 'signin-invitation' }, 'Or paste the invitation link you were sent'),
    link,
    error,
    el('div', { className: 'modal-buttons' }, submit),
  );
  submitsTo(form, submit, error, 'Checking the invitation…', () => backend.signIn.acceptInvitation({ link: link.value }));
  return form;
}

/** Or no organisation server: Tessera's server runs on this computer, for this person. */
function localForm(backend: Backend): HTMLFormElement {
  const error = el('p', { id: 'local-error', className: 'signin-error' });
  error.setAttribute('role', 'alert');
  const submit = el('button', { id: 'local-submit', type: 'submit' }, 'Just this computer');
  const form = el(
    'form',
    { id: 'local-form', className: 'signin-form signin-invitation' },
    el('p', { className: 'signin-hint' }, 'No server? Tessera runs its own on this computer: your layouts stay here, and widgets you run here appear in its marketplace.'),
    error,
    el('div', { className: 'modal-buttons' }, submit),
  );
  submitsTo(form, submit, error, 'Starting Tessera’s server on this computer…', () => backend.signIn.local());
  return form;
}

/** The whole window, before anything else: nobody is signed in. */
export function showSignInScreen(backend: Backend, status: SignInStatus, opening?: OpenRequest | null): void {
  const card = el(
    'section',
    { className: 'signin-card' },
    el('h1', {}, 'Sign in to Tessera'),
    el('p', { className: 'signin-lead' }, 'Your layouts, your colleagues’ widgets and the links they send you live on your organisation’s Tessera server.'),
    ...(opening?.kind === 'layout' ? [el('p', { className: 'signin-hint signin-pending-link' }, 'Sign in to open the layout you were sent.')] : []),
    signInForm(backend, status),
    invitationForm(backend, opening?.kind === 'invitation' ? opening.link : ''),
    localForm(backend),
  );
  const screen = el('main', { id: 'signin-screen', className: 'signin-screen' }, card);
  screen.setAttribute('aria-label', 'Sign in');
  document.querySelector('main.shell')?.replaceWith(screen);
  document.body.classList.add('signing-in');
}

/** Who is signed in where, with Sign out and Switch server. */
export function accountDialog(backend: Backend, status: SignInStatus): void {
  const d = openDialog('Account', 'account-dialog');
  const user = status.user;
  d.box.append(
    el('p', { id: 'account-who' }, user ? `Signed in as ${user.name}${user.admin ? ' (administrator)' : ''}` : 'Not signed in'),
    el('p', { className: 'account-server' }, `Server: ${status.server}`),
    el('p', { className: 'account-groups' }, user?.groups?.length ? `Groups: ${user.groups.join(', ')}` : 'In no group'),
  );
  if (user) d.box.append(tokensSection(backend));
  d.box.append(
    buttons(
      ['Switch server…', 'account-switch', () => {
        d.close();
        switchServerDialog(backend, status, '');
      }],
      ['Sign out', 'account-signout', () => {
        void backend.signIn.signOut().catch((e: unknown) => d.box.append(el('p', { className: 'signin-error' }, toShellError(e).message)));
      }],
      ['Close', 'primary', () => d.close()],
    ),
  );
  d.box.querySelector<HTMLButtonElement>('.primary')?.focus();
}

/** Sign in to another server (`server` filled in, if given); the app starts afresh there. */
export function switchServerDialog(backend: Backend, status: SignInStatus, server: string): void {
  const s = openDialog('Sign in to another server', 'signin-dialog');
  s.box.append(signInForm(backend, { ...status, problem: null, server }, () => s.close()));
}
