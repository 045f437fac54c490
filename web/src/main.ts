import 'dockview-core/dist/styles/dockview.css';
import './style.css';
import { tauriBackend as backend } from './backend';
import { Marketplace } from './marketplace';
import { Workspace } from './workspace';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const status = $('registry-status');
const workspace = new Workspace($('workspace'));
const marketplace = new Marketplace($('marketplace-list'), $('marketplace-filter'), (w) => workspace.add(w));

let registryUrl = '';

async function refresh(): Promise<void> {
  try {
    const widgets = await backend.listWidgets();
    marketplace.show(widgets);
    status.textContent = `Registry ${registryUrl} · ${widgets.length} widget${widgets.length === 1 ? '' : 's'}`;
    status.classList.remove('error');
  } catch (e) {
    status.textContent = `Registry unreachable (${registryUrl}): ${String(e)}`;
    status.classList.add('error');
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
  await refresh();
  $('refresh-marketplace').addEventListener('click', () => void refresh());
  // The registry's watch stream replaces this poll when it lands.
  setInterval(() => void refresh(), 3000);
  document.body.dataset.ready = 'true';
}

boot().catch((e) => {
  status.textContent = `Start-up failed: ${String(e)}`;
  status.classList.add('error');
});
