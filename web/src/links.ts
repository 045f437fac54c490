// Links to layouts: the ones people send (tessera://layout/<id>,
// tessera://view/<id>, https://<server>/l/<id>), copied from the Share
// dialog and opened from the command line, the OS or the Layouts dialog.
import { toShellError, type Backend } from './backend';
import { buttons, el, openDialog } from './dialog';
import type { OpenRequest } from './types';

/** `https://host:port` without a trailing slash, lower-cased, for comparing servers. */
export function serverKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

export function sameServer(a: string, b: string): boolean {
  return serverKey(a) === serverKey(b);
}

/** The links to layout `id` on `server`: the app's (`tessera://`) and the web page's. */
export function layoutLinks(server: string, id: string, view = false): { app: string; web: string } {
  const base = server.replace(/\/+$/, '');
  return {
    app: `tessera://${view ? 'view' : 'layout'}/${encodeURIComponent(id)}?server=${encodeURIComponent(base)}`,
    web: `${base}/l/${encodeURIComponent(id)}${view ? '?view=1' : ''}`,
  };
}

/** Reads a pasted link (or a bare layout id) the way the app's command line does. */
export function parseLink(raw: string): OpenRequest {
  const text = raw.trim();
  if (text.startsWith('tessera://invite/')) return { kind: 'invitation', link: text };
  const plausible = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);
  if (!text.includes(':')) {
    return plausible(text)
      ? { kind: 'layout', id: text, view: false, server: null, link: text }
      : { kind: 'error', message: `“${text}” is not a layout id or a Tessera link` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'error', message: `“${text}” is not a Tessera link` };
  }
  let id: string | undefined;
  let view = false;
  let server: string | null = null;
  if (url.protocol === 'tessera:') {
    // WebKit parses tessera://layout/ID with host "layout" and path "/ID".
    const kind = url.host || url.pathname.replace(/^\/\//, '').split('/')[0];
    const rest = url.host ? url.pathname.split('/').filter(Boolean) : url.pathname.replace(/^\/\//, '').split('/').slice(1).filter(Boolean);
    if ((kind === 'layout' || kind === 'view') && rest.length === 1) {
      id = decodeURIComponent(rest[0]);
      view = kind === 'view';
      server = url.searchParams.get('server');
    }
  } else if (url.protocol === 'http:' || url.protocol === 'https:') {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length >= 2 && parts[parts.length - 2] === 'l') {
      id = decodeURIComponent(parts[parts.length - 1]);
      view = (url.searchParams.get('view') ?? '0') !== '0';
      server = `${url.protocol}//${url.host}${parts.length > 2 ? `/${parts.slice(0, -2).join('/')}` : ''}`;
    }
  }
  if (id === undefined) return { kind: 'error', message: `“${text}” is not a link to a Tessera layout` };
  if (!plausible(id)) return { kind: 'error', message: `“${id}” is not a layout id` };
  return { kind: 'layout', id, view, server, link: text };
}

/** Why a link's layout did not open, without saying whether it exists. */
export function linkProblem(e: unknown): string {
  const r = toShellError(e);
  if (r.status === 404) return 'The layout in this link was not found, or it is not shared with you. Ask its owner to share it.';
  return `The link did not open: ${r.message}`;
}

/** The link is for another server than the one signed in to: say so, offer to switch. */
export function otherServerDialog(linkServer: string, signedIn: string, switchServer: (server: string) => void): void {
  const d = openDialog('This link is for another server', 'link-server-dialog');
  d.box.append(
    el('p', {}, `The layout is on ${linkServer}, but you are signed in to ${signedIn}.`),
    el('p', { className: 'signin-hint' }, 'Sign in to that server to open it (your layouts on this one stay where they are).'),
    buttons(['Cancel', '', d.close], [`Sign in to ${linkServer}…`, 'primary', () => {
      d.close();
      switchServer(linkServer);
    }]),
  );
  d.box.querySelector<HTMLButtonElement>('.primary')?.focus();
}

/** Puts `text` on the clipboard: the Clipboard API, else the selected field and the copy command. */
export async function copyText(text: string, field?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const input = field ?? el('input', { value: text });
    if (!field) document.body.append(input);
    input.select();
    const ok = document.execCommand('copy');
    if (!field) input.remove();
    return ok;
  }
}

/** The Share dialog's link row: the layout's web link, "Copy link" and "Copy app link". */
export function linkRow(server: string, id: string): HTMLElement {
  const links = layoutLinks(server, id);
  const field = el('input', { type: 'text', readOnly: true, value: links.web, className: 'share-link' });
  field.setAttribute('aria-label', 'Link to this layout');
  const note = el('span', { className: 'share-link-note', role: 'status' });
  const copy = (text: string, what: string) => () =>
    void copyText(text, text === field.value ? field : undefined).then((ok) => {
      note.textContent = ok ? `${what} copied` : 'Copy failed: select the link and copy it';
    });
  const row = el('div', { className: 'share-link-row' }, field);
  const copyWeb = el('button', { type: 'button', className: 'share-copy-link' }, 'Copy link');
  copyWeb.addEventListener('click', copy(links.web, 'Link'));
  const copyApp = el('button', { type: 'button', className: 'share-copy-app-link' }, 'Copy app link');
  copyApp.title = links.app;
  copyApp.addEventListener('click', copy(links.app, 'App link'));
  row.append(copyWeb, copyApp);
  return el('section', { className: 'share-links' }, el('h4', {}, 'Link'), row, note,
    el('p', { className: 'signin-hint' }, 'People you share it with open it in Tessera; others are told it is not shared with them.'));
}

/** A field in the Layouts dialog: paste a link someone sent. */
export function pasteLinkForm(open: (r: OpenRequest) => void, done: () => void): HTMLFormElement {
  const input = el('input', { type: 'text', className: 'open-link-input', placeholder: 'Paste a link: https://…/l/… or tessera://layout/…' });
  input.setAttribute('aria-label', 'Open a link');
  const go = el('button', { type: 'submit', className: 'open-link-go' }, 'Open link');
  const error = el('p', { className: 'signin-error open-link-error', role: 'alert' });
  const form = el('form', { className: 'open-link' }, input, go, error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const r = parseLink(input.value);
    if (r.kind === 'error') {
      error.textContent = r.message;
      return;
    }
    done();
    open(r);
  });
  return form;
}

/** Accepting an invitation that arrived as a link (the OS, or a later start). */
export function invitationDialog(backend: Backend, link: string): void {
  const d = openDialog('Sign in with an invitation', 'invitation-dialog');
  const error = el('p', { className: 'signin-error', role: 'alert' });
  d.box.append(
    el('p', {}, 'This invitation signs you in on this computer as the person it was made for, and starts Tessera afresh.'),
    el('p', { className: 'signin-hint' }, link.replace(/tsi_[^?]*/, 'tsi_…')),
    error,
    buttons(['Cancel', '', d.close], ['Use invitation', 'primary', () => {
      error.textContent = 'Checking the invitation…';
      backend.signIn.acceptInvitation({ link }).catch((e: unknown) => {
        error.textContent = toShellError(e).message;
      });
    }]),
  );
  d.box.querySelector<HTMLButtonElement>('.primary')?.focus();
}
