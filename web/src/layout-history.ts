// Every saved version of the open layout: who saved it and when, what
// changed, and putting an old version back (as a new version).
import { invoke } from '@tauri-apps/api/core';
import { buttons, el, openDialog } from './dialog';
import { describeDiff, type Diff } from './layout-doc';
import { reason, type LayoutSession } from './layouts';

interface Version {
  version: number;
  title: string;
  author?: string | null;
  message?: string | null;
  created_at: string;
}

export async function historyDialog(session: LayoutSession, show: (text: string, error?: boolean) => void): Promise<void> {
  const id = session.id;
  if (!id) return;
  let versions: Version[];
  try {
    versions = (await invoke<{ versions: Version[] }>('layout_versions', { id })).versions;
  } catch (e) {
    show(`History unavailable: ${reason(e)}`, true);
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
        const diff = await invoke<Diff>('layout_diff', { id, from: v.version - 1, to: v.version });
        details.replaceChildren(el('strong', {}, `Version ${v.version - 1} → ${v.version}`), el('ul', {}, ...describeDiff(diff).map((l) => el('li', {}, l))));
      } catch (e) {
        details.textContent = `Changes unavailable: ${reason(e)}`;
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
          const saved = await invoke<{ version: number }>('layout_restore_version', { id, version: v.version, baseVersion: session.version });
          d.close();
          await session.open(id);
          show(`Restored version ${v.version} as version ${saved.version}`);
        } catch (e) {
          details.textContent = `Not restored: ${reason(e)}`;
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
