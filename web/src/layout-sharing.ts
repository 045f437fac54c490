// Who may see the open layout: the organisation, named people and groups.
import { toShellError, type Backend } from './backend';
import { buttons, el, openDialog } from './dialog';
import type { LayoutSession } from './layouts';
import { linkRow } from './links';
import type { Directory, Grant, Sharing } from './types';

type Level = 'none' | Grant['access'];

const LEVELS: [Level, string][] = [
  ['none', 'No access'],
  ['view', 'Can view'],
  ['edit', 'Can edit'],
];

/** Opens the Share dialog for the open layout (its owner, or an admin). */
export async function shareDialog(
  backend: Backend,
  session: LayoutSession,
  server: string,
  show: (text: string, error?: boolean) => void,
): Promise<void> {
  const id = session.id;
  if (!id) return;
  let sharing: Sharing;
  let directory: Directory;
  try {
    [sharing, directory] = await Promise.all([
      backend.sharing.get({ id }),
      backend.sharing.directory(),
    ]);
  } catch (e) {
    show(`Sharing unavailable: ${toShellError(e).message}`, true);
    return;
  }
  const d = openDialog(`Share “${session.currentTitle()}”`, 'share-dialog');
  const org = el('input', { type: 'checkbox', checked: sharing.organisation ?? false, className: 'share-organisation' });
  const selects = new Map<string, HTMLSelectElement>();
  const section = (kind: 'user' | 'group', heading: string, names: string[], grants: Grant[]) => {
    const rows = names.map((name) => {
      const select = el('select', { className: 'share-level', dataset: { kind, name } });
      select.setAttribute('aria-label', `${heading}: ${name}`);
      const current = grants.find((g) => g.name === name)?.access ?? 'none';
      for (const [level, label] of LEVELS) select.append(el('option', { value: level, selected: level === current }, label));
      selects.set(`${kind}:${name}`, select);
      return el('li', { className: 'share-row' }, el('span', {}, name), select);
    });
    return el('section', {},
      el('h4', {}, heading),
      rows.length ? el('ul', { className: 'share-list' }, ...rows) : el('p', { className: 'share-empty' }, `No ${heading.toLowerCase()} to share with.`),
    );
  };
  const people = directory.users.map((u) => u.name).filter((n) => n !== directory.me.name && n !== session.owner);
  const groups = directory.groups.map((g) => g.name);
  const collect = (kind: 'user' | 'group', names: string[]): Grant[] =>
    names.flatMap((name) => {
      const level = selects.get(`${kind}:${name}`)?.value as Level;
      return level === 'view' || level === 'edit' ? [{ name, access: level }] : [];
    });
  const save = async () => {
    const organisation = org.checked;
    const users = collect('user', people);
    const groupGrants = collect('group', groups);
    const next: Sharing = { organisation, users, groups: groupGrants };
    try {
      await backend.sharing.set({ id, sharing: next });
      d.close();
      const n = users.length + groupGrants.length;
      const whom = [
        ...(organisation ? ['the organisation'] : []),
        ...(n ? [`${n} ${n === 1 ? 'person or group' : 'people and groups'}`] : []),
      ];
      show(whom.length ? `Shared “${session.currentTitle()}” with ${whom.join(' and ')}` : `“${session.currentTitle()}” is private again`);
    } catch (e) {
      show(`Sharing not changed: ${toShellError(e).message}`, true);
    }
  };
  d.box.append(
    el('label', { className: 'share-org-row' }, org, ' Everyone in the organisation can view and clone it'),
    section('user', 'People', people, sharing.users ?? []),
    section('group', 'Groups', groups, sharing.groups ?? []),
    linkRow(server, id),
    buttons(['Cancel', '', d.close], ['Save sharing', 'primary share-save', () => void save()]),
  );
  org.focus();
}
