// @vitest-environment happy-dom
// The layout session and its Layouts dialog against a fake backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { panelsOf } from '../src/layout-doc';
import { LayoutSession } from '../src/layouts';
import { FakeBackend, settle } from './fake-backend';
import { $, added, doc, FakeWorkspace, layout, saved, shown, summary } from './fixtures';

const STALE = (current: number | null) => ({
  status: 409,
  code: 'stale_version',
  message: 'base_version 3 is not the current version',
  body: { code: 'stale_version', message: 'base_version 3 is not the current version', current_version: current },
});

function setUp() {
  const fake = new FakeBackend();
  const ws = new FakeWorkspace();
  const out = shown();
  const session = new LayoutSession(fake.backend, ws, 'Desk', out.show);
  return { fake, ws, out, session };
}

/** A session with lay_1 (version 3, panels p1 and p2) open. */
async function opened() {
  const s = setUp();
  s.fake.answer('layouts.get', layout('lay_1', 'Desk', 3, doc('Desk', 'p1', 'p2')));
  await s.session.open('lay_1');
  s.fake.calls.length = 0;
  return s;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('saving', () => {
  it('creates the layout the first time, then saves versions on top of the one it has', async () => {
    const { fake, ws, out, session } = setUp();
    ws.load(doc('Desk', 'p1'));
    fake.answer('layouts.create', layout('lay_1', 'Desk', 1, doc('Desk', 'p1')));
    await session.save();
    expect(fake.methods()).toEqual(['layouts.create']);
    const [create] = fake.requests('layouts.create');
    expect(create.title).toBe('Desk');
    expect(panelsOf(create.document).map((p) => p.id)).toEqual(['p1']);
    expect(session.id).toBe('lay_1');
    expect(out.last()).toEqual(['Saved “Desk” (version 1)', false]);

    ws.load(doc('Desk', 'p1', 'p2'));
    fake.answer('layouts.save', saved('lay_1', 2));
    await session.save();
    const [save] = fake.requests('layouts.save');
    expect(save).toMatchObject({ id: 'lay_1', baseVersion: 1, message: null });
    expect(panelsOf(save.document).map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(session.version).toBe(2);
    expect(session.isModified()).toBe(false);
    expect(out.last()).toEqual(['Saved “Desk” (version 2)', false]);
  });

  it('on a stale version shows what the newer one changed, and overwriting saves on top of it', async () => {
    const { fake, out, session } = await opened();
    fake.fail('layouts.save', STALE(5)).answer('layouts.save', saved('lay_1', 6));
    fake.answer('history.diff', added('lay_1', 3, 5, 'News'));
    await session.save();
    expect(fake.requests('history.diff')).toEqual([{ id: 'lay_1', from: 3, to: 5 }]);
    const dialog = $('.conflict-dialog');
    expect(dialog.textContent).toContain('You opened version 3; version 5 was saved since. It changed:');
    expect([...dialog.querySelectorAll('.conflict-changes li')].map((li) => li.textContent)).toEqual(['added “News”']);
    expect(session.version).toBe(3);

    $<HTMLButtonElement>('.conflict-overwrite').click();
    await settle();
    expect(document.querySelector('.conflict-dialog')).toBeNull();
    expect(fake.requests('layouts.save').map((r) => [r.baseVersion, r.message])).toEqual([
      [3, null],
      [5, 'overwrote version 5'],
    ]);
    expect(out.last()).toEqual(['Saved “Desk” (version 6)', false]);
  });

  it('says why when the stale refusal names no version, and when the core fails', async () => {
    const { fake, out, session } = await opened();
    fake.fail('layouts.save', STALE(null));
    await session.save();
    expect(out.last()).toEqual(['Not saved: someone saved version ? meanwhile. Open it again to continue.', true]);
    expect(fake.methods()).toEqual(['layouts.save']);
    expect(document.querySelector('.conflict-dialog')).toBeNull();

    const again = await opened();
    again.fake.fail('layouts.save', { status: 0, code: 'unavailable', message: 'error sending request: connection refused' });
    await again.session.save();
    expect(again.out.last()).toEqual(['Not saved: error sending request: connection refused', true]);
  });

  it('renames as a new version on top of the one it has', async () => {
    const { fake, out, session } = await opened();
    fake.answer('layouts.rename', saved('lay_1', 4));
    await session.rename('  Rates desk ');
    expect(fake.requests('layouts.rename')).toEqual([{ id: 'lay_1', baseVersion: 3, title: 'Rates desk' }]);
    expect(out.last()).toEqual(['Renamed to “Rates desk” (version 4)', false]);
  });
});

describe('the Layouts dialog', () => {
  it('lists by scope and search', async () => {
    const { fake, session } = setUp();
    fake.answer('layouts.list', { layouts: [summary('lay_1', 'Desk'), summary('lay_2', 'Rates', { owner: 'bob', access: 'view' })] });
    session.chooseAndOpen();
    await settle();
    expect(fake.requests('layouts.list')).toEqual([{ scope: 'all', search: '' }]);
    const titles = () => [...document.querySelectorAll('.layouts-list .layout-choice strong')].map((s) => s.textContent);
    expect(titles()).toEqual(['Desk', 'Rates']);
    expect($('.layout-choice[data-layout-id="lay_2"] span').textContent).toContain('bob’s · v1 · view only');

    fake.answer('layouts.list', { layouts: [] });
    const search = $<HTMLInputElement>('.layouts-search');
    search.value = 'desk';
    $<HTMLButtonElement>('.scope-tab[data-scope="mine"]').click();
    await settle();
    expect(fake.requests('layouts.list')[1]).toEqual({ scope: 'mine', search: 'desk' });
    expect($('.layouts-list').textContent).toBe('No layouts match “desk”.');

    // Typing searches (after a pause) in the scope chosen.
    search.value = 'rates';
    search.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(fake.requests('layouts.list')[2]).toEqual({ scope: 'mine', search: 'rates' });
  });

  it('says why the list is unavailable', async () => {
    const { fake, session } = setUp();
    fake.fail('layouts.list', 'not signed in');
    session.chooseAndOpen();
    await settle();
    expect($('.layouts-list').textContent).toBe('Layouts unavailable: not signed in');
  });

  it('deletes after a second click, then restores from the bin', async () => {
    const { fake, out, session } = await opened();
    fake.answer('layouts.list', { layouts: [summary('lay_1', 'Desk', { version: 3 })] });
    session.chooseAndOpen();
    await settle();
    const del = $<HTMLButtonElement>('.layout-delete[data-layout-id="lay_1"]');
    del.click();
    expect(del.textContent).toBe('Sure?');
    expect(fake.requests('layouts.delete')).toEqual([]);
    fake.answer('layouts.delete', undefined).answer('layouts.list', { layouts: [] });
    del.click();
    await settle();
    expect(fake.requests('layouts.delete')).toEqual([{ id: 'lay_1' }]);
    expect(out.last()).toEqual(['Moved “Desk” to the bin: Layouts… › Bin brings it back within 30 days', false]);
    // The workspace keeps showing it, as a layout not saved yet; the list is asked again.
    expect(session.id).toBeNull();
    expect(fake.requests('layouts.list')).toHaveLength(2);

    fake.answer('layouts.list', { layouts: [summary('lay_1', 'Desk', { version: 3, deleted_at: '2026-03-02T09:00:00Z' })] });
    $<HTMLButtonElement>('.scope-tab[data-scope="deleted"]').click();
    await settle();
    expect(fake.requests('layouts.list')[2]).toEqual({ scope: 'deleted', search: '' });
    fake.answer('layouts.undelete', summary('lay_1', 'Desk', { version: 3 }));
    fake.answer('layouts.get', layout('lay_1', 'Desk', 3, doc('Desk', 'p1', 'p2')));
    $<HTMLButtonElement>('.layout-undelete[data-layout-id="lay_1"]').click();
    await settle();
    expect(fake.requests('layouts.undelete')).toEqual([{ id: 'lay_1' }]);
    expect(fake.requests('layouts.get')).toEqual([{ id: 'lay_1' }]);
    expect(session.id).toBe('lay_1');
    expect(out.last()).toEqual(['Restored “Desk” from the bin', false]);
    expect(document.querySelector('.layouts-dialog')).toBeNull();
  });

  it('says why a delete was refused', async () => {
    const { fake, out, session } = setUp();
    fake.answer('layouts.list', { layouts: [summary('lay_1', 'Desk')] });
    fake.fail('layouts.delete', { status: 403, code: 'forbidden', message: 'only its owner may delete a layout' });
    session.chooseAndOpen();
    await settle();
    const del = $<HTMLButtonElement>('.layout-delete');
    del.click();
    del.click();
    await settle();
    expect(out.last()).toEqual(['Not deleted: only its owner may delete a layout', true]);
  });
});
