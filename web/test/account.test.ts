// @vitest-environment happy-dom
// Signing in, the account's tokens and invitation links, against a fake backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { invitationDialog } from '../src/links';
import { accountDialog, showSignInScreen, type SignInStatus } from '../src/signin';
import { tokensSection } from '../src/tokens';
import type { TokenInfo } from '../src/types';
import { FakeBackend, settle } from './fake-backend';
import { $, submit } from './fixtures';

const AT = '2026-03-01T10:00:00Z';
const token = (id: string, label: string, current = false): TokenInfo => ({ id, label, created_at: AT, last_used_at: null, current });

const status = (more: Partial<SignInStatus> = {}): SignInStatus => ({
  server: 'https://tessera.example.com',
  user: null,
  problem: null,
  has_token: false,
  reachable: true,
  recent: ['https://tessera.example.com', 'http://127.0.0.1:7410'],
  ...more,
});

beforeEach(() => {
  document.body.innerHTML = '<main class="shell"></main>';
});

describe('the tokens section', () => {
  async function section(fake: FakeBackend) {
    fake.answer('tokens.mine', { tokens: [token('t1', 'desk', true), token('t2', '')] });
    const s = tokensSection(fake.backend);
    document.body.append(s);
    await settle();
    return s;
  }

  it('lists the tokens, marking the one this computer uses', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    const rows = [...s.querySelectorAll<HTMLElement>('.token-row')];
    expect(rows.map((r) => r.dataset.id)).toEqual(['t1', 't2']);
    expect(rows.map((r) => r.querySelector('.token-label')?.textContent)).toEqual(['desk', '(no label)']);
    expect(rows[0].querySelector('.token-current')?.textContent).toBe('this computer');
    expect(rows[1].querySelector('.token-current')).toBeNull();
    expect(rows[0].querySelector('.token-meta')?.textContent).toContain('last used never');
  });

  it('shows a new token once, outside the list, and lists it by label', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    fake.answer('tokens.create', { id: 't3', label: 'laptop', token: 'tsu_s3cret' });
    fake.answer('tokens.mine', { tokens: [token('t3', 'laptop'), token('t1', 'desk', true), token('t2', '')] });
    const label = $<HTMLInputElement>('.token-new input', s);
    label.value = 'laptop';
    submit($<HTMLFormElement>('.token-new', s));
    await settle();
    expect(fake.requests('tokens.create')).toEqual([{ label: 'laptop' }]);
    expect(fake.methods()).toEqual(['tokens.mine', 'tokens.create', 'tokens.mine']);
    const shown = [...s.querySelectorAll<HTMLInputElement>('.token-value')];
    expect(shown.map((i) => i.value)).toEqual(['tsu_s3cret']);
    expect($('.token-shown', s).textContent).toBe('Copy this token now: it is not shown again.');
    expect($('.token-list', s).textContent).not.toContain('tsu_s3cret');
    expect([...s.querySelectorAll('.token-row .token-label')].map((l) => l.textContent)).toEqual(['laptop', 'desk', '(no label)']);
    expect(label.value).toBe('');
  });

  it('says why a token was not made', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    fake.fail('tokens.create', 'label: at most 100 characters');
    submit($<HTMLFormElement>('.token-new', s));
    await settle();
    expect($('.signin-error', s).textContent).toBe('label: at most 100 characters');
    expect(s.querySelector('.token-value')).toBeNull();
    expect($<HTMLButtonElement>('.token-new button', s).disabled).toBe(false);
  });

  it('revokes after a second click, saying whether it is this computer’s token', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    fake.answer('tokens.revoke', undefined);
    const other = $<HTMLButtonElement>('.token-row[data-id="t2"] .token-revoke', s);
    expect(other.textContent).toBe('Revoke');
    other.click();
    expect(other.textContent).toBe('Sure? Revoke');
    expect(fake.requests('tokens.revoke')).toEqual([]);
    other.click();
    await settle();
    expect(fake.requests('tokens.revoke')).toEqual([{ id: 't2', current: false }]);

    const mine = $<HTMLButtonElement>('.token-row[data-id="t1"] .token-revoke', s);
    expect(mine.textContent).toBe('Revoke and sign out');
    mine.click();
    expect(mine.textContent).toBe('Sure? This signs you out');
    mine.click();
    await settle();
    expect(fake.requests('tokens.revoke')[1]).toEqual({ id: 't1', current: true });
  });

  it('says why a revoke failed and lets it be tried again', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    fake.fail('tokens.revoke', 'the server said 503 Service Unavailable');
    const revoke = $<HTMLButtonElement>('.token-row[data-id="t2"] .token-revoke', s);
    revoke.click();
    revoke.click();
    expect(revoke.disabled).toBe(true);
    await settle();
    expect($('.signin-error', s).textContent).toBe('the server said 503 Service Unavailable');
    expect(revoke.disabled).toBe(false);
  });

  it('relabels a token', async () => {
    const fake = new FakeBackend();
    const s = await section(fake);
    $<HTMLButtonElement>('.token-row[data-id="t2"] .token-rename', s).click();
    const form = $<HTMLFormElement>('.token-relabel', s);
    $<HTMLInputElement>('input', form).value = 'home';
    fake.answer('tokens.label', undefined);
    submit(form);
    await settle();
    expect(fake.requests('tokens.label')).toEqual([{ id: 't2', label: 'home' }]);
  });
});

describe('the sign-in screen', () => {
  it('sends the server and the token, and shows the core’s message when refused', async () => {
    const fake = new FakeBackend();
    showSignInScreen(fake.backend, status());
    expect($('#signin-screen')).not.toBeNull();
    expect([...document.querySelectorAll<HTMLOptionElement>('#signin-recent option')].map((o) => o.value)).toEqual([
      'https://tessera.example.com',
      'http://127.0.0.1:7410',
    ]);
    $<HTMLInputElement>('#signin-server').value = 'https://other.example.com';
    $<HTMLInputElement>('#signin-token').value = 'tsu_abc';
    fake.fail('signIn.signIn', 'the server refused the token (401): unknown token');
    submit($<HTMLFormElement>('#signin-form'));
    expect($('#signin-error').textContent).toBe('Checking with the server…');
    expect($<HTMLButtonElement>('#signin-submit').disabled).toBe(true);
    await settle();
    expect(fake.requests('signIn.signIn')).toEqual([{ server: 'https://other.example.com', token: 'tsu_abc' }]);
    expect($('#signin-error').textContent).toBe('the server refused the token (401): unknown token');
    expect($<HTMLButtonElement>('#signin-submit').disabled).toBe(false);

    fake.answer('signIn.signIn', undefined);
    submit($<HTMLFormElement>('#signin-form'));
    await settle();
    expect($('#signin-error').textContent).toBe('Signed in; starting…');
  });

  it('says why the stored sign-in stopped working', () => {
    showSignInScreen(new FakeBackend().backend, status({ has_token: true, problem: 'token revoked' }));
    expect($('#signin-error').textContent).toBe('Your stored sign-in no longer works: token revoked');
  });

  it('uses an invitation link, and offers the one it was opened with', async () => {
    const fake = new FakeBackend();
    showSignInScreen(fake.backend, status(), { kind: 'invitation', link: 'tessera://invite/tsi_1?server=https%3A%2F%2Fx' });
    expect($<HTMLInputElement>('#signin-invitation').value).toBe('tessera://invite/tsi_1?server=https%3A%2F%2Fx');
    fake.fail('signIn.acceptInvitation', 'this invitation was already used');
    submit($<HTMLFormElement>('#invitation-form'));
    await settle();
    expect(fake.requests('signIn.acceptInvitation')).toEqual([{ link: 'tessera://invite/tsi_1?server=https%3A%2F%2Fx' }]);
    expect($('#invitation-error').textContent).toBe('this invitation was already used');
  });

  it('starts the server on this computer', async () => {
    const fake = new FakeBackend();
    showSignInScreen(fake.backend, status());
    fake.answer('signIn.local', undefined);
    submit($<HTMLFormElement>('#local-form'));
    expect($('#local-error').textContent).toBe('Starting Tessera’s server on this computer…');
    await settle();
    expect(fake.methods()).toEqual(['signIn.local']);
    expect($('#local-error').textContent).toBe('Signed in; starting…');
  });
});

describe('the account dialog', () => {
  it('shows who is signed in, their tokens, and signs out', async () => {
    const fake = new FakeBackend();
    fake.answer('tokens.mine', { tokens: [token('t1', 'desk', true)] });
    accountDialog(fake.backend, status({ user: { name: 'alice', admin: true, groups: ['rates'] }, has_token: true }));
    await settle();
    expect($('#account-who').textContent).toBe('Signed in as alice (administrator)');
    expect($('.account-groups').textContent).toBe('Groups: rates');
    expect(document.querySelectorAll('.account-dialog .token-row')).toHaveLength(1);

    fake.fail('signIn.signOut', 'cannot forget the token: read-only folder');
    $<HTMLButtonElement>('.account-signout').click();
    await settle();
    expect(fake.methods()).toContain('signIn.signOut');
    expect($('.account-dialog > .signin-error:last-child').textContent).toBe('cannot forget the token: read-only folder');
  });
});

describe('an invitation link opened from outside', () => {
  it('accepts it, and shows why not', async () => {
    const fake = new FakeBackend();
    invitationDialog(fake.backend, 'tessera://invite/tsi_secret?server=https%3A%2F%2Fx');
    // The code is not shown.
    expect($('.invitation-dialog').textContent).toContain('tessera://invite/tsi_…');
    expect($('.invitation-dialog').textContent).not.toContain('tsi_secret');
    fake.fail('signIn.acceptInvitation', 'invitation expired');
    $<HTMLButtonElement>('.invitation-dialog .primary').click();
    expect($('.invitation-dialog .signin-error').textContent).toBe('Checking the invitation…');
    await settle();
    expect(fake.requests('signIn.acceptInvitation')).toEqual([{ link: 'tessera://invite/tsi_secret?server=https%3A%2F%2Fx' }]);
    expect($('.invitation-dialog .signin-error').textContent).toBe('invitation expired');
  });
});
