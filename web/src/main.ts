import 'dockview-core/dist/styles/dockview.css';
import './style.css';
import { tauriBackend as backend } from './backend';
import { Marketplace } from './marketplace';
import { Workspace } from './workspace';
import type { Link } from './types';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const status = $('registry-status');
const workspace = new Workspace($('workspace'));
const marketplace = new Marketplace($('marketplace-list'), $('marketplace-filter'), (w) => workspace.add(w));

let registryUrl = '';
/** Files of each widget as last seen: a change means open panels reload it. */
const filesSeen = new Map<string, string>();

function showCatalogue(link: Link): void {
  if (link.state === 'down') {
    status.textContent = `Registry unreachable (${registryUrl}): ${link.error}`;
    status.classList.add('error');
    return;
  }
  const widgets = link.widgets;
  marketplace.show(widgets);
  const offline = widgets.filter((w) => w.state === 'offline').length;
  status.textContent = `Registry ${registryUrl} · ${widgets.length} widget${widgets.length === 1 ? '' : 's'}` +
    (offline ? ` · ${offline} offline` : '');
  status.classList.remove('error');
  for (const w of widgets) {
    const files = JSON.stringify(w.files);
    const before = filesSeen.get(w.id);
    filesSeen.set(w.id, files);
    if (before !== undefined && before !== files && w.state === 'online') {
      workspace.reloadWidget(w.id);
    }
  }
}

async function refresh(): Promise<void> {
  try {
    showCatalogue({ state: 'live', widgets: await backend.listWidgets() });
  } catch (e) {
    showCatalogue({ state: 'down', error: String(e) });
  }
}

async function boot(): Promise<void> {
  const info = await backend.shellInfo();
  registryUrl = info.registry_url.replace(/\/$/, '');
  const doc = await backend.demoLayout();
  if (doc) {
    workspace.load(doc);
    $('layout-title').textContent = doc.title;
  }
  // Live from here on: the core follows the registry's watch stream.
  await backend.followCatalogue(showCatalogue);
  await refresh();
  $('refresh-marketplace').addEventListener('click', () => void refresh());
  document.body.dataset.ready = 'true';
}

boot().catch((e) => {
  status.textContent = `Start-up failed: ${String(e)}`;
  status.classList.add('error');
});
