// @vitest-environment happy-dom
// The Share and History dialogs against a fake backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { historyDialog } from '../src/layout-history';
import { shareDialog } from '../src/layout-sharing';
import { LayoutSession } from '../src/layouts';
import { FakeBackend, settle } from './fake-backend';
import { $, added, doc, FakeWorkspace, layout, saved, shown, version } from './fixtures';

const SERVER = 'https://tessera.example.com';

/** A session with lay_1 (alice's, version 3) open, and what it was told. */
async function opened(access: 'owner' | 'view' = 'owner') {
  const fake = new FakeBackend();
  const out = shown();
  const session = new LayoutSession(fake.backend, new FakeWorkspace(), 'Desk', out.show);
  fake.answer('layouts.get', layout('lay_1', 'Desk', 3, doc('Desk', 'p1'), { access }));
  await session.open('lay_1');
  fake.calls.length = 0;
  return { fake, out, session };
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('the Share dialog', () => {
  it('shows who has access and sends the sharing as edited', async () => {
    const { fake, out, session } = await opened();
    fake.answer('sharing.get', { organisation: false, users: [{ name: 'bob', access: 'view' }], groups: [] });
    fake.answer('sharing.directory', {
      me: { name: 'alice', admin: false },
      users: [{ name: 'alice', admin: false }, { name: 'bob', admin: false }, { name: 'carol', admin: true }],
      groups: [{ name: 'rates', members: ['bob'] }],
    });
    await shareDialog(fake.backend, session, SERVER, out.show);
    expect(fake.requests('sharing.get')).toEqual([{ id: 'lay_1' }]);
    const level = (kind: string, name: string) => $<HTMLSelectElement>(`.share-level[data-kind="${kind}"][data-name="${name}"]`);
    // The owner is not offered; bob's grant shows.
    expect([...document.querySelectorAll<HTMLSelectElement>('.share-level')].map((s) => `${s.dataset.name}=${s.value}`)).toEqual([
      'bob=view',
      'carol=none',
      'rates=none',
    ]);
    expect($<HTMLInputElement>('.share-link').value).toBe('https://tessera.example.com/l/lay_1');

    level('user', 'carol').value = 'edit';
    level('group', 'rates').value = 'view';
    $<HTMLInputElement>('.share-organisation').checked = true;
    fake.answer('sharing.set', { organisation: true, users: [], groups: [] });
    $<HTMLButtonElement>('.share-save').click();
    await settle();
    expect(fake.requests('sharing.set')).toEqual([
      {
        id: 'lay_1',
        sharing: {
          organisation: true,
          users: [
            { name: 'bob', access: 'view' },
            { name: 'carol', access: 'edit' },
          ],
          groups: [{ name: 'rates', access: 'view' }],
        },
      },
    ]);
    expect(out.last()).toEqual(['Shared “Desk” with the organisation and 3 people and groups', false]);
    expect(document.querySelector('.share-dialog')).toBeNull();
  });

  it('makes it private when every grant is taken away', async () => {
    const { fake, out, session } = await opened();
    fake.answer('sharing.get', { organisation: true, users: [{ name: 'bob', access: 'edit' }], groups: [] });
    fake.answer('sharing.directory', { me: { name: 'alice', admin: false }, users: [{ name: 'bob', admin: false }], groups: [] });
    await shareDialog(fake.backend, session, SERVER, out.show);
    $<HTMLSelectElement>('.share-level[data-name="bob"]').value = 'none';
    $<HTMLInputElement>('.share-organisation').checked = false;
    fake.answer('sharing.set', { organisation: false, users: [], groups: [] });
    $<HTMLButtonElement>('.share-save').click();
    await settle();
    expect(fake.requests('sharing.set')[0].sharing).toEqual({ organisation: false, users: [], groups: [] });
    expect(out.last()).toEqual(['“Desk” is private again', false]);
  });

  it('says why sharing is unavailable, or was not changed', async () => {
    const { fake, out, session } = await opened();
    fake.fail('sharing.get', { status: 403, code: 'forbidden', message: 'only the owner may share this layout' });
    fake.answer('sharing.directory', { me: { name: 'alice', admin: false }, users: [], groups: [] });
    await shareDialog(fake.backend, session, SERVER, out.show);
    expect(out.last()).toEqual(['Sharing unavailable: only the owner may share this layout', true]);
    expect(document.querySelector('.share-dialog')).toBeNull();

    fake.answer('sharing.get', { organisation: false, users: [], groups: [] });
    fake.fail('sharing.set', { status: 0, code: 'unavailable', message: 'connection refused' });
    await shareDialog(fake.backend, session, SERVER, out.show);
    $<HTMLButtonElement>('.share-save').click();
    await settle();
    expect(out.last()).toEqual(['Sharing not changed: connection refused', true]);
    expect(document.querySelector('.share-dialog')).not.toBeNull();
  });
});

describe('the History dialog', () => {
  it('restores a version on top of the version the session has', async () => {
    const { fake, out, session } = await opened();
    fake.answer('history.versions', { versions: [version(3, 'bob'), version(2, 'alice', 'added news'), version(1, 'alice')] });
    await historyDialog(fake.backend, session, out.show);
    expect(fake.requests('history.versions')).toEqual([{ id: 'lay_1' }]);
    const row = (v: number) => $(`.history-row[data-version="${v}"]`);
    expect(row(3).textContent).toContain('open now');
    expect(row(2).textContent).toContain('alice');
    expect(row(2).textContent).toContain('added news');
    expect($<HTMLButtonElement>('.history-changes-button', row(1)).disabled).toBe(true);

    fake.answer('history.diff', added('lay_1', 1, 2, 'News'));
    $<HTMLButtonElement>('.history-changes-button', row(2)).click();
    await settle();
    expect(fake.requests('history.diff')).toEqual([{ id: 'lay_1', from: 1, to: 2 }]);
    expect($('.history-changes').textContent).toBe('Version 1 → 2added “News”');

    fake.answer('history.restore', saved('lay_1', 4));
    fake.answer('layouts.get', layout('lay_1', 'Desk', 4, doc('Desk', 'p1')));
    $<HTMLButtonElement>('.history-restore[data-version="2"]').click();
    await settle();
    expect(fake.requests('history.restore')).toEqual([{ id: 'lay_1', version: 2, baseVersion: 3 }]);
    expect(fake.requests('layouts.get')).toEqual([{ id: 'lay_1' }]);
    expect(session.version).toBe(4);
    expect(out.last()).toEqual(['Restored version 2 as version 4', false]);
    expect(document.querySelector('.history-dialog')).toBeNull();
  });

  it('says why a restore was refused, and offers none to a viewer', async () => {
    const { fake, out, session } = await opened();
    fake.answer('history.versions', { versions: [version(3, 'bob'), version(2, 'alice')] });
    fake.fail('history.restore', {
      status: 409,
      code: 'stale_version',
      message: 'someone saved version 4',
      body: { code: 'stale_version', message: 'someone saved version 4', current_version: 4 },
    });
    await historyDialog(fake.backend, session, out.show);
    $<HTMLButtonElement>('.history-restore[data-version="2"]').click();
    await settle();
    expect($('.history-changes').textContent).toBe('Not restored: someone saved version 4');
    expect(document.querySelector('.history-dialog')).not.toBeNull();

    document.body.innerHTML = '';
    const viewer = await opened('view');
    viewer.fake.answer('history.versions', { versions: [version(3, 'bob'), version(2, 'alice')] });
    await historyDialog(viewer.fake.backend, viewer.session, viewer.out.show);
    expect(document.querySelectorAll('.history-row')).toHaveLength(2);
    expect(document.querySelector('.history-restore')).toBeNull();
  });

  it('says why the history is unavailable', async () => {
    const { fake, out, session } = await opened();
    fake.fail('history.versions', 'not signed in');
    await historyDialog(fake.backend, session, out.show);
    expect(out.last()).toEqual(['History unavailable: not signed in', true]);
  });
});
