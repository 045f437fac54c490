// Every saved version of the open layout: who saved it and when, what
// changed, and putting an old version back (as a new version).
import { toShellError, type Backend } from './backend';
import { buttons, el, openDialog } from './dialog';
import { describeDiff } from './layout-doc';
import type { LayoutSession } from './layouts';
import type { VersionInfo } from './types';

export async function historyDialog(
  backend: Backend,
  session: LayoutSession,
  show: (text: string, error?: boolean) => void,
): Promise<void> {
  const id = session.id;
  if (!id) return;
  let versions: VersionInfo[];
  try {
    versions = (await backend.history.versions({ id })).versions;
  } catch (e) {
    show(`History unavailable: ${toShellError(e).message}`, true);
    return;
  }
  const d = openDialog(`History of “${session.currentTitle()}”`, 'history-dialog');
  const details = el('div', { className: 'history-changes', role: 'status' }, 'Choose “Changes” to see what a version changed.');
  const rows = versions.map((v) => {
    const meta = [v.author ?? 'someone', new Date(v.created_at).toLocaleString()];
    if (v.message) meta.push(v.message);
    const changes = el('button', { type: 'button', className: 'history-changes-button' }, 'Changes');
    changes.disabled = v.version === 1;
    changes.addEventListener('click', async () => {
      try {
        const diff = await backend.history.diff({ id, from: v.version - 1, to: v.version });
        details.replaceChildren(el('strong', {}, `Version ${v.version - 1} → ${v.version}`), el('ul', {}, ...describeDiff(diff).map((l) => el('li', {}, l))));
      } catch (e) {
        details.textContent = `Changes unavailable: ${toShellError(e).message}`;
      }
    });
    const actions: HTMLElement[] = [changes];
    if (v.version === session.version) {
      actions.push(el('span', { className: 'history-current' }, 'open now'));
    } else if (session.canEdit()) {
      const restore = el('button', { type: 'button', className: 'history-restore', dataset: { version: String(v.version) } }, 'Restore');
      restore.title = `Save version ${v.version} again as the newest version`;
      restore.addEventListener('click', async () => {
        try {
          const saved = await backend.history.restore({ id, version: v.version, baseVersion: session.version });
          d.close();
          await session.open(id);
          show(`Restored version ${v.version} as version ${saved.version}`);
        } catch (e) {
          details.textContent = `Not restored: ${toShellError(e).message}`;
        }
      });
      actions.push(restore);
    }
    return el('li', { className: 'history-row', dataset: { version: String(v.version) } },
      el('div', {}, el('strong', {}, `Version ${v.version}`), el('span', {}, meta.join(' · '))),
      el('div', { className: 'history-actions' }, ...actions),
    );
  });
  d.box.append(el('ul', { className: 'history-list' }, ...rows), details, buttons(['Close', '', d.close]));
}
