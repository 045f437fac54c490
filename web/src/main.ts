import 'dockview-core/dist/styles/dockview.css';
import './style.css';
import { toShellError, type Backend } from './backend';
import { tauriBackend } from './backend/tauri';
import { BusRelay } from './bus';
import { historyDialog } from './layout-history';
import { shareDialog } from './layout-sharing';
import { LayoutSession } from './layouts';
import { buttons, el, openDialog } from './dialog';
import { contractOf, Marketplace } from './marketplace';
import { dragIntoDock } from './widget-drag';
import { startPopout } from './popout';
import { chooseHandler } from './resolver';
import type { Draft, Link, OpenRequest, Widget } from './types';
import { Workspace } from './workspace';
import { openPalette, type PaletteItem } from './palette';
import { keyPress, keysOf, shortcutFor, type CommandId } from './shortcuts';
import { nextChoice, Themes, type ThemeChoice } from './theme';
import { accountDialog, needsSignIn, showSignInScreen, signInStatus, switchServerDialog } from './signin';
import { followFrames, mark } from './startup';
import { installLanguageFallback } from './sdk/language';
import { copyText, invitationDialog, layoutLinks, linkProblem, otherServerDialog, sameServer } from './links';

// The shell's own dates and numbers too (see sdk/language.ts).
installLanguageFallback(navigator);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Set once the draft is armed: a change of the workspace schedules a draft write. */
let workspaceChanged: () => void = () => {};

/**
 * Never losing work: reopens the layout that was open, offers back work
 * left unsaved (after a crash, a kill or a plain quit), then keeps the
 * workspace as a draft on disk a moment after every change.
 */
async function keepWork(
  backend: Backend,
  ws: Workspace,
  session: LayoutSession,
  show: (t: string, error?: boolean) => void,
): Promise<void> {
  session.markClean();
  const [draft, last] = await Promise.all([
    backend.drafts.load().catch(() => null),
    backend.drafts.lastLayout().catch(() => null),
  ]);
  if (last) {
    try {
      await session.open(last);
    } catch (e) {
      show(`Could not reopen your last layout: ${toShellError(e).message}`, true);
    }
  }
  let timer = 0;
  const write = () => {
    const document = session.document();
    if (!session.isModified(document)) {
      void backend.drafts.clear();
      return;
    }
    const d: Draft = {
      layout: session.id,
      version: session.id ? session.version : null,
      title: session.currentTitle(),
      document,
      saved_at: new Date().toISOString(),
    };
    void backend.drafts.save({ draft: d }).catch((e: unknown) => show(toShellError(e).message, true));
  };
  const arm = () => {
    workspaceChanged = () => {
      clearTimeout(timer);
      timer = window.setTimeout(write, 500);
    };
    ws.api.onDidLayoutChange(() => workspaceChanged());
  };
  if (!draft) {
    arm();
    return;
  }
  // The draft stays on disk until the person decides.
  const when = new Date(draft.saved_at);
  const d = openDialog('Unsaved work', 'draft-dialog', () => arm());
  d.box.append(
    el(
      'p',
      {},
      `Your changes to “${draft.title}” from ${when.toLocaleDateString()} ${when.toLocaleTimeString()} were not saved.`,
    ),
    buttons(
      ['Discard', 'draft-discard', () => {
        void backend.drafts.clear();
        d.close();
      }],
      ['Restore', 'primary draft-restore', () => {
        d.close();
        void session.restoreDraft(draft).then(() => workspaceChanged());
      }],
    ),
  );
  d.box.querySelector<HTMLButtonElement>('.draft-restore')?.focus();
}

async function startMain(backend: Backend): Promise<void> {
  const [signin, info] = await Promise.all([signInStatus(backend), backend.shell.info()]);
  if (needsSignIn(signin)) {
    new Themes().apply();
    showSignInScreen(backend, signin, info.opening);
    mark(backend, 'sign-in');
    return;
  }
  // A viewer window opened for a link names its layout (and server) in its address.
  const params = new URLSearchParams(location.search);
  const viewId = params.get('view') ?? info.view;
  const opening = info.opening;
  const viewServer = params.get('server') ?? (opening?.kind === 'layout' && opening.view ? opening.server : null);
  const account = $<HTMLButtonElement>('account');
  account.textContent = signin.user ? signin.user.name : 'Account';
  account.title = signin.user ? `Signed in as ${signin.user.name} on ${signin.server}` : signin.problem ?? '';
  account.addEventListener('click', () => accountDialog(backend, signin));
  const status = $('registry-status');
  const themes = new Themes();
  let workspace: Workspace | undefined;
  /** Runs a shortcut's command (bound once the session exists). */
  let runCommand: (id: CommandId) => void = () => {};
  let widgets: Widget[] = [];
  const openWidget = (id: string) => {
    const w = widgets.find((x) => x.id === id);
    workspace?.add(w ?? { id, title: id });
  };
  const bus = await BusRelay.start(backend, {
    channelChanged: (panel, channel) => workspace?.showChannel(panel, channel),
    stateChanged: (panel, state) => {
      workspace?.setState(panel, state);
      workspaceChanged();
    },
    openWidget,
    closePanel: (panel) => workspace?.close(panel),
    resolveIntent: chooseHandler,
    shortcut: (k) => {
      const id = shortcutFor(k);
      if (id) runCommand(id);
    },
    theme: () => themes.current(),
  });
  themes.follow((t) => bus.sendTheme(t));
  const locked = !!viewId;
  document.body.classList.toggle('locked', locked);
  if (info.window === 'main') followFrames(backend, $('workspace'));
  const ws = new Workspace(backend, $('workspace'), bus, locked);
  workspace = ws;
  themes.dock(ws.api);
  const marketplace = new Marketplace(
    $('marketplace-list'),
    $('marketplace-filter'),
    (w) => ws.add(w),
    (li, w) => dragIntoDock(li, w, ws, $('workspace')),
    $<HTMLSelectElement>('marketplace-works-with'),
  );

  const registryUrl = info.registry_url.replace(/\/$/, '');
  /** Whether each widget with open panels was last seen available. */
  const available = new Map<string, boolean>();
  /** Widgets' titles as last seen, for those that have gone. */
  const titles = new Map<string, string>();
  /** Files of each widget as last seen: a change means open panels reload it. */
  const filesSeen = new Map<string, string>();

  const showCatalogue = (link: Link) => {
    if (link.state === 'down') {
      status.textContent = `Server unreachable (${registryUrl}): ${link.error}`;
      status.classList.add('error');
      return;
    }
    widgets = link.widgets;
    marketplace.show(widgets);
    const offline = widgets.filter((w) => w.state === 'offline').length;
    status.textContent =
      `Server ${registryUrl} · ${widgets.length} widget${widgets.length === 1 ? '' : 's'}` +
      (offline ? ` · ${offline} offline` : '');
    status.classList.remove('error');
    // Panels of widgets that went away show so, and come back by themselves.
    for (const id of new Set([...available.keys(), ...ws.openWidgetIds()])) {
      const w = widgets.find((x) => x.id === id);
      const now = !!w && w.state === 'online';
      const before = available.get(id);
      available.set(id, now);
      // Marking is idempotent, so frames opened since are marked too.
      if (w) titles.set(id, w.title);
      if (!now) ws.widgetAvailability(id, titles.get(id) ?? id, false, w?.last_seen);
      else if (before === false) ws.widgetAvailability(id, w.title, true);
    }
    for (const w of widgets) {
      const files = JSON.stringify(w.files);
      const before = filesSeen.get(w.id);
      filesSeen.set(w.id, files);
      if (before !== undefined && before !== files && w.state === 'online') ws.reloadWidget(w.id);
    }
  };
  const refresh = async () => {
    try {
      showCatalogue({ state: 'live', widgets: await backend.catalogue.list() });
    } catch (e) {
      showCatalogue({ state: 'down', error: toShellError(e).message });
    }
  };

  const doc = locked ? null : await backend.layouts.demo();
  if (doc) {
    ws.load(doc);
  }
  const note = $('layout-status');
  const show = (text: string, error?: boolean) => {
    note.textContent = text;
    note.title = text;
    note.classList.toggle('error', !!error);
  };
  window.addEventListener('workspace-problem', (e) => show((e as CustomEvent<string>).detail, true));
  const session: LayoutSession = new LayoutSession(backend, ws, doc?.title ?? 'My layout', show, () => {
    showSession(session);
    if (!locked) void backend.drafts.setLastLayout({ id: session.id });
  });
  showSession(session);
  /** Opens a link: a layout here (if it is on this server), an invitation, or why not. */
  const openRequest = async (r: OpenRequest): Promise<void> => {
    if (r.kind === 'error') return show(r.message, true);
    if (r.kind === 'invitation') return invitationDialog(backend, r.link);
    if (r.server && !sameServer(r.server, signin.server)) {
      return otherServerDialog(r.server, signin.server, (s) => switchServerDialog(backend, signin, s));
    }
    if (r.view && !locked) {
      // A viewer window of its own, as a link clicked in the OS gets.
      await backend.links.open({ link: r.link }).catch((e: unknown) => show(toShellError(e).message, true));
      return;
    }
    try {
      await session.open(r.id);
    } catch (e) {
      show(linkProblem(e), true);
    }
  };
  if (!locked) await keepWork(backend, ws, session, show);
  $('save-layout').addEventListener('click', () => void session.save());
  const themeButton = $<HTMLButtonElement>('theme-toggle');
  const THEME_LABELS: Record<ThemeChoice, string> = { system: '◐ System', light: '☀ Light', dark: '☾ Dark' };
  const showTheme = () => {
    const c = themes.chosen();
    themeButton.textContent = THEME_LABELS[c];
    themeButton.setAttribute('aria-label', `Theme: ${c} (click to change)`);
    themeButton.title = `Theme: ${c === 'system' ? 'follows the system' : c}. Click for ${nextChoice(c)}.`;
  };
  showTheme();
  themeButton.addEventListener('click', () => {
    themes.choose(nextChoice(themes.chosen()));
    showTheme();
  });
  const commands: Record<CommandId, { title: string; run: () => void; editing?: boolean }> = {
    save: { title: 'Save layout', run: () => void session.save(), editing: true },
    open: { title: 'Open a layout…', run: () => session.chooseAndOpen(openRequest), editing: true },
    'close-panel': { title: 'Close panel', run: () => ws.closeActive(), editing: true },
    'next-tab': { title: 'Next tab', run: () => ws.cycleTab(1) },
    'prev-tab': { title: 'Previous tab', run: () => ws.cycleTab(-1) },
    maximise: { title: 'Maximise or restore panel', run: () => ws.toggleMaximise() },
    palette: { title: 'Command palette', run: () => showPalette() },
    'focus-left': { title: 'Focus the group on the left', run: () => ws.focusGroup('left') },
    'focus-right': { title: 'Focus the group on the right', run: () => ws.focusGroup('right') },
    'focus-up': { title: 'Focus the group above', run: () => ws.focusGroup('up') },
    'focus-down': { title: 'Focus the group below', run: () => ws.focusGroup('down') },
    'focus-next-group': { title: 'Focus the next group', run: () => ws.focusGroup('next') },
  };
  runCommand = (id) => {
    const c = commands[id];
    if (c.editing && locked) return;
    c.run();
  };
  const showPalette = () => {
    const items: PaletteItem[] = (Object.entries(commands) as [CommandId, (typeof commands)[CommandId]][])
      .filter(([id, c]) => id !== 'palette' && !(c.editing && locked))
      .map(([id, c]) => ({ title: c.title, kind: 'Command', keys: keysOf(id), run: c.run }));
    items.push(
      { title: 'Bus inspector', kind: 'Command', run: () => ws.openInspector() },
      ...(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => ({
        title: `Theme: ${t}`,
        kind: 'Command',
        run: () => {
          themes.choose(t);
          showTheme();
        },
      })),
    );
    if (!locked) {
      if (session.canShare()) items.push({ title: 'Share…', kind: 'Command', run: () => void shareDialog(backend, session, signin.server, show) });
      if (session.id) {
        const id = session.id;
        items.push({
          title: 'Copy link to this layout',
          kind: 'Command',
          run: () => void copyText(layoutLinks(signin.server, id).web).then((ok) => show(ok ? 'Link copied' : 'Copy failed', !ok)),
        });
      }
      if (session.id) items.push({ title: 'History…', kind: 'Command', run: () => void historyDialog(backend, session, show) });
      for (const w of widgets.filter((x) => x.state !== 'offline')) {
        const { listens, broadcasts } = contractOf(w);
        items.push({
          title: w.title,
          kind: 'Add widget',
          keywords: `${w.id} ${w.description} ${[...listens, ...broadcasts].join(' ')}`,
          run: () => ws.add(w),
        });
      }
    }
    const layouts = locked
      ? undefined
      : backend.layouts
          .list({ scope: 'all', search: '' })
          .then((r) => r.layouts.map((l) => ({ title: l.title, kind: 'Open layout', keywords: l.owner, run: () => void session.open(l.id) })))
          .catch(() => []);
    openPalette(items, layouts);
  };
  document.addEventListener(
    'keydown',
    (e) => {
      const id = shortcutFor(keyPress(e));
      if (!id || (e.target as HTMLElement | null)?.closest?.('.palette')) return;
      e.preventDefault();
      e.stopPropagation();
      runCommand(id);
    },
    true,
  );
  $('open-layout').addEventListener('click', () => session.chooseAndOpen(openRequest));
  $('share-layout').addEventListener('click', () => void shareDialog(backend, session, signin.server, show));
  if (!locked) $('layout-title').addEventListener('click', () => session.chooseTitle());
  $('layout-history').addEventListener('click', () => void historyDialog(backend, session, show));
  if (viewId && viewServer && !sameServer(viewServer, signin.server)) {
    note.textContent = `This link is for a layout on ${viewServer}; you are signed in to ${signin.server}.`;
    note.classList.add('error');
    otherServerDialog(viewServer, signin.server, (s) => switchServerDialog(backend, signin, s));
  } else if (viewId) {
    // The casual viewer: the shared layout, locked, following its owner's saves.
    const id = viewId;
    await backend.layouts.onFollow((f) => {
      if (f.kind === 'version' && f.version > session.version) {
        void session.open(id).then(() => (note.textContent = `Viewing “${session.currentTitle()}” · version ${session.version} · follows updates`));
      } else if (f.kind === 'gone') {
        note.textContent = f.reason === 'deleted' ? 'This layout was deleted.' : 'This layout is no longer shared with you.';
        note.classList.add('error');
      }
    });
    try {
      await session.open(id);
      note.textContent = `Viewing “${session.currentTitle()}” · version ${session.version} · follows updates`;
    } catch (e) {
      note.textContent = linkProblem(e);
      note.classList.add('error');
    }
    await backend.layouts.follow({ id });
  }
  // Live from here on: the core follows the registry's watch stream.
  await backend.catalogue.follow(showCatalogue);
  await refresh();
  $('refresh-marketplace').addEventListener('click', () => void refresh());
  $('open-inspector').addEventListener('click', () => ws.openInspector());
  await backend.popouts.onDocked((p) => {
    ws.popoutGone(p.panel);
    ws.add({ id: p.widget, title: p.title }, { state: p.state, channel: p.channel }, p.panel);
  });
  await backend.popouts.onState(({ panel, state }) => {
    ws.popoutState(panel, state);
    workspaceChanged();
  });
  await backend.popouts.onMoved(({ panel, ...rect }) => {
    ws.popoutMoved(panel, rect);
    workspaceChanged();
  });
  await backend.popouts.onClosed((panel) => {
    ws.popoutGone(panel);
    workspaceChanged();
  });
  await backend.popouts.onOpenWidget(openWidget);
  // Links handed over by a later start (the OS opening a tessera:// link).
  await backend.links.onOpen((r) => void openRequest(r));
  if (opening && !viewId) await openRequest(opening);
  document.body.dataset.ready = 'true';
}

/** The top bar's view of the open layout: its title, what the user may do with it. */
function showSession(session: LayoutSession): void {
  $('layout-title').textContent = session.currentTitle();
  $('layout-title').title = document.body.classList.contains('locked') ? session.currentTitle() : `Rename “${session.currentTitle()}”`;
  const access = $('layout-access');
  const labels: Record<string, string> = { view: 'view only', edit: 'you may edit', admin: 'admin', owner: '' };
  access.textContent = session.id ? (labels[session.access] ?? '') : 'not saved yet';
  access.dataset.access = session.id ? session.access : 'unsaved';
  const save = $<HTMLButtonElement>('save-layout');
  save.textContent = session.canEdit() ? 'Save' : 'Save a copy';
  save.title = session.canEdit()
    ? 'Save this arrangement as a new version'
    : 'You may only view this layout: save your own copy (a clone) with this arrangement';
  $<HTMLButtonElement>('share-layout').disabled = !session.canShare();
  $<HTMLButtonElement>('layout-history').disabled = !session.id;
}

const popout = new URLSearchParams(location.search).has('popout');
// The one place the Tauri backend is chosen: everything else is handed it.
const backend: Backend = tauriBackend;
(popout ? startPopout(backend) : startMain(backend)).catch((e: unknown) => {
  // A page bug says what it is (`TypeError: …`); a refusal of the core, its message.
  const why = e instanceof Error ? String(e) : toShellError(e).message;
  const status = document.getElementById('registry-status');
  if (status) {
    status.textContent = `Start-up failed: ${why}`;
    status.classList.add('error');
  } else {
    document.body.textContent = `Start-up failed: ${why}`;
  }
});
