// The docking area: dockview groups of panels, each panel a sandboxed widget
// frame linked to the bus, with its channel colour on its tab.
import {
  createDockview,
  themeLight,
  type DockviewApi,
  type DockviewGroupPanel,
  type GroupPanelPartInitParameters,
  type IContentRenderer,
  type IGroupHeaderProps,
  type IHeaderActionsRenderer,
  type ITabRenderer,
  type IWatermarkRenderer,
  type PanelUpdateEvent,
  type TabPartInitParameters,
} from 'dockview-core';
import { toShellError, widgetUrl, type Backend } from './backend';
import type { BusRelay } from './bus';
import { CHANNEL_COLOURS, channelMenu } from './channels';
import { popOutWhenDraggedOut } from './drag-out';
import { InspectorPanel } from './inspector';
import { toDockview } from './layout-to-dockview';
import { placeNew, type Direction } from './placement';
import type { DetachedPanel, LayoutDocument, PanelParams, Widget } from './types';

/** Makes the sandboxed frame for a widget panel, registered with the bus before it loads. */
export function widgetFrame(bus: BusRelay, panel: string, p: PanelParams, title: string, getState: () => unknown): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.className = 'widget-frame';
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.dataset.widget = p.widget;
  frame.dataset.panelId = panel;
  frame.title = title;
  void bus.addFrame(panel, p.widget, p.channel, frame, getState).then(() => {
    frame.src = widgetUrl(p.widget, '');
  });
  return frame;
}

class WidgetPanel implements IContentRenderer {
  readonly element = document.createElement('div');
  private panelId = '';
  private movedOut = false;

  constructor(private readonly bus: BusRelay, private readonly moving: Set<string>) {}

  init(params: GroupPanelPartInitParameters): void {
    const p = params.params as unknown as PanelParams;
    this.panelId = params.api.id;
    this.element.className = 'panel-host';
    const getState = () => (params.containerApi.getPanel(this.panelId)?.params as unknown as PanelParams | undefined)?.state ?? p.state;
    this.element.append(widgetFrame(this.bus, this.panelId, p, params.title ?? p.widget, getState));
  }

  dispose(): void {
    this.movedOut = this.moving.delete(this.panelId);
    if (this.movedOut) this.bus.dropFrame(this.panelId);
    else void this.bus.removeFrame(this.panelId);
  }
}

/** The tab: the channel's colour, then the title. */
class ChannelTab implements ITabRenderer {
  readonly element = document.createElement('div');

  constructor(private readonly locked: boolean) {}
  private readonly dot = document.createElement('span');
  private readonly title = document.createElement('span');

  init(params: TabPartInitParameters): void {
    this.element.className = 'tessera-tab';
    this.element.dataset.panelId = params.api.id;
    this.dot.className = 'channel-dot';
    // Said in the tab's name instead (see show).
    this.dot.setAttribute('aria-hidden', 'true');
    this.title.className = 'tab-title';
    // A mouse target only: a control inside the tab (role "tab") would nest
    // one interactive element in another; from the keyboard, Ctrl+W closes
    // the focused panel.
    const close = document.createElement('span');
    close.className = 'tab-close';
    close.textContent = '×';
    close.title = 'Close (Ctrl+W)';
    close.setAttribute('aria-hidden', 'true');
    close.addEventListener('click', (e) => {
      e.stopPropagation();
      params.api.close();
    });
    this.element.append(this.dot, this.title);
    if (!this.locked) this.element.append(close);
    this.title.textContent = params.title ?? '';
    this.show((params.params as unknown as PanelParams).channel ?? null);
    params.api.onDidTitleChange((e) => {
      this.title.textContent = e.title;
      this.name();
    });
  }

  /** What a screen reader says of the tab: its title, then its channel. */
  private name(): void {
    const channel = this.element.dataset.channel;
    this.element.setAttribute('aria-label', channel ? `${this.title.textContent}, linked on ${channel}` : this.title.textContent ?? '');
  }

  update(e: PanelUpdateEvent): void {
    const ch = (e.params as Partial<PanelParams>).channel;
    if (ch !== undefined) this.show(ch);
  }

  private show(channel: string | null): void {
    this.dot.style.background = channel ? CHANNEL_COLOURS[channel] ?? 'transparent' : 'transparent';
    this.dot.classList.toggle('none', !channel);
    this.element.dataset.channel = channel ?? '';
    this.dot.title = channel ? `Linked on the ${channel} channel` : 'Not linked';
    this.name();
  }
}

/** A button of a group's header: an icon, its label for pointer and screen reader. */
function button(cls: string, label: string, text: string, act: (b: HTMLButtonElement) => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.title = label;
  b.setAttribute('aria-label', label);
  b.textContent = text;
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    act(b);
  });
  return b;
}

/** Per group: the active panel's channel, maximise, float, pop out. */
class GroupActions implements IHeaderActionsRenderer {
  readonly element = document.createElement('div');

  constructor(
    private readonly ws: Workspace,
    private readonly group: DockviewGroupPanel,
  ) {}

  init(props: IGroupHeaderProps): void {
    this.element.className = 'group-actions';
    const active = () => props.group.activePanel;
    if (this.ws.locked) {
      this.element.append(
        button('act-maximise', 'Maximise or restore', '⤢', () => {
          if (props.api.isMaximized()) props.api.exitMaximized();
          else props.api.maximize();
        }),
      );
      return;
    }
    this.element.append(
      button('act-channel', 'Link to a channel', '●', (b) => {
        const p = active();
        if (!p || p.view.contentComponent !== 'widget') return;
        const params = p.params as unknown as PanelParams;
        channelMenu(b, params.channel, (c) => void this.ws.setChannel(p.id, c));
      }),
      button('act-maximise', 'Maximise or restore', '⤢', () => {
        if (props.api.isMaximized()) props.api.exitMaximized();
        else props.api.maximize();
      }),
      this.floatButton(),
      button('act-popout', 'Pop out into its own window', '↗', () => {
        const p = active();
        if (p) void this.ws.popOut(p.id);
      }),
    );
  }

  /** Float the group over the workspace, or dock a floating one back; it says which. */
  private floatButton(): HTMLButtonElement {
    const floating = () => this.group.api.location.type === 'floating';
    const b = button('act-float', '', '', () => {
      if (floating()) this.ws.dock(this.group);
      else this.ws.float(this.group);
    });
    const show = () => {
      const label = floating() ? 'Dock back into the workspace' : 'Float over the workspace';
      b.title = label;
      b.setAttribute('aria-label', label);
      b.textContent = floating() ? '⊞' : '❐';
      b.classList.toggle('floating', floating());
    };
    show();
    this.subscriptions.push(this.group.api.onDidLocationChange(show));
    return b;
  }

  private readonly subscriptions: { dispose(): void }[] = [];

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

class Watermark implements IWatermarkRenderer {
  readonly element = document.createElement('div');
  init(): void {
    this.element.className = 'watermark';
    this.element.innerHTML =
      '<div><strong>Your workspace is empty</strong><p>Choose a widget in the marketplace to add it here.</p></div>';
  }
}

/** A new pop-out window's size when nothing says otherwise. */
const POPOUT_SIZE = { width: 640, height: 480 };

/** Something the workspace could not do, for the shell's status line (`workspace-problem`). */
function problem(message: string): void {
  window.dispatchEvent(new CustomEvent('workspace-problem', { detail: message }));
}

export class Workspace {
  readonly api: DockviewApi;
  private seq = 0;
  /** Panels on their way to a pop-out: their frames go without leaving the bus. */
  private readonly moving = new Set<string>();

  constructor(
    private readonly backend: Backend,
    private readonly host: HTMLElement,
    private readonly bus: BusRelay,
    /** A locked view: nothing can be moved, closed, popped out or relinked. */
    readonly locked = false,
  ) {
    this.api = createDockview(host, {
      theme: themeLight,
      disableDnd: locked,
      // Pointer events, not HTML5 drag and drop: WebKitGTK in a Tauri window
      // starts no HTML5 drag from real mouse input (checked under Xvfb with
      // xdotool), while pointer events arrive like any click.
      dndStrategy: 'pointer',
      // Keep frames in place when panels move, so widgets are not reloaded.
      defaultRenderer: 'always',
      // A floating group moves by the empty part of its tab strip (no extra
      // blank bar above its tabs).
      floatingGroupDragHandle: 'tabbar',
      createComponent: (o) => (o.name === 'inspector' ? new InspectorPanel(this.backend) : new WidgetPanel(this.bus, this.moving)),
      createTabComponent: (o) => (o.name === 'widget' ? new ChannelTab(locked) : undefined),
      createRightHeaderActionComponent: (group: DockviewGroupPanel) => new GroupActions(this, group),
      createWatermarkComponent: () => new Watermark(),
    });
    if (!locked) popOutWhenDraggedOut(host, (panel, at) => void this.popOut(panel, at));
  }

  /**
   * Floats a group over the workspace (moved by its tab strip, resized by
   * its edges): about half the workspace, across its middle.
   */
  float(group: DockviewGroupPanel): void {
    const { width, height } = this.host.getBoundingClientRect();
    const w = Math.round(Math.min(560, Math.max(320, width * 0.45)));
    const h = Math.round(Math.min(420, Math.max(240, height * 0.5)));
    this.api.addFloatingGroup(group, { x: Math.round((width - w) / 2), y: Math.round((height - h) / 3), width: w, height: h });
  }

  /** Docks a floating group back: a group of its own at the workspace's right. */
  dock(group: DockviewGroupPanel): void {
    group.api.moveTo({ position: 'right' });
  }

  /** Panels in windows of their own, with where those windows are: the layout document's `popouts`. */
  private readonly popouts = new Map<string, DetachedPanel>();

  /** Closes every panel, and the pop-out windows. */
  clear(): void {
    this.api.clear();
    this.closePopouts();
  }

  load(doc: LayoutDocument): void {
    const { width, height } = this.host.getBoundingClientRect();
    this.api.fromJSON(toDockview(doc, Math.max(width, 1), Math.max(height, 1)));
    this.closePopouts();
    // A viewer shows the docked panels only: no windows open on a casual look.
    if (this.locked) return;
    const open = doc.popouts ?? [];
    for (const d of open) this.popouts.set(d.panel.id, d);
    for (const d of open) {
      const p = d.panel;
      const rect = { x: d.x, y: d.y, width: d.width, height: d.height };
      void this.windowOp(() =>
        this.backend.popouts
          .popOut({ panel: p.id, widget: p.widget, title: p.title, state: p.state ?? {}, channel: p.channel ?? null, rect }),
      ).catch((e: unknown) => problem(`Could not open the window of “${p.title}”: ${toShellError(e).message}`));
    }
  }

  /**
   * Pop-out windows are opened and closed one command at a time, in the
   * order asked. A layout opened over another (clear, then load; a draft
   * restored over its layout) closes the old windows and opens the new
   * ones; had the commands raced, a window opened for the new layout could
   * be found by a close meant for the old one, or an open could find the
   * old window still there and keep it, and then see it closed.
   */
  private windows: Promise<void> = Promise.resolve();

  private windowOp<T>(op: () => Promise<T>): Promise<T> {
    const result = this.windows.then(op);
    this.windows = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  /** Closes the pop-out windows (queued after what was asked before). */
  private closePopouts(): void {
    if (this.popouts.size === 0) return;
    this.popouts.clear();
    void this.windowOp(() => this.backend.popouts.closeAll()).catch(() => {});
  }

  /** The pop-out windows, for the layout document. */
  detached(): DetachedPanel[] {
    return [...this.popouts.values()];
  }

  /** A pop-out window moved or was resized. */
  popoutMoved(panel: string, rect: { x: number; y: number; width: number; height: number }): void {
    const d = this.popouts.get(panel);
    if (d) this.popouts.set(panel, { ...d, ...rect });
  }

  /** The widget in a pop-out window saved its state: the layout keeps it. */
  popoutState(panel: string, state: unknown): void {
    const d = this.popouts.get(panel);
    if (d) this.popouts.set(panel, { ...d, panel: { ...d.panel, state } });
  }

  /** A pop-out docked back or closed for good. */
  popoutGone(panel: string): void {
    this.popouts.delete(panel);
  }

  private newId(): string {
    let id: string;
    do {
      id = `panel-${Date.now().toString(36)}-${++this.seq}`;
    } while (this.api.getPanel(id));
    return id;
  }

  /**
   * Adds a panel for the widget: at `at` (a drop), or where there is room
   * (see `placeNew`): a split of the largest group, else a tab.
   */
  add(
    widget: Widget | { id: string; title: string },
    params?: Partial<PanelParams>,
    id?: string,
    at?: { group: DockviewGroupPanel; direction: Direction },
  ): string {
    const panelId = id ?? this.newId();
    const p: PanelParams = { widget: widget.id, state: params?.state ?? {}, channel: params?.channel ?? null };
    const place =
      at ??
      placeNew(
        this.api.groups.filter((g) => g.api.location.type === 'grid').map((g) => ({ group: g, width: g.api.width, height: g.api.height })),
        this.api.activeGroup,
      );
    this.api.addPanel({
      id: panelId,
      component: 'widget',
      tabComponent: 'widget',
      title: widget.title,
      params: p as unknown as Record<string, unknown>,
      position: place ? { referenceGroup: place.group, direction: place.direction } : undefined,
    });
    return panelId;
  }

  /** The group under a point of the page, with its box, for drops from outside dockview. */
  groupAt(x: number, y: number): { group: DockviewGroupPanel; box: DOMRect; header: number } | undefined {
    for (const group of this.api.groups) {
      const box = group.element.getBoundingClientRect();
      if (x >= box.left && x < box.right && y >= box.top && y < box.bottom) {
        const header = group.element.querySelector('.dv-tabs-and-actions-container')?.getBoundingClientRect().height ?? 0;
        return { group, box, header };
      }
    }
    return undefined;
  }

  /** Closes a panel (its widget called `window.close()`); not in the locked viewer. */
  close(panelId: string): void {
    if (!this.locked) this.api.getPanel(panelId)?.api.close();
  }

  /** Closes the focused panel (Ctrl+W). */
  closeActive(): void {
    if (!this.locked) this.api.activePanel?.api.close();
  }

  /** The next (+1) or previous (-1) tab of the focused group, wrapping. */
  cycleTab(step: 1 | -1): void {
    const group = this.api.activeGroup;
    if (!group || group.panels.length < 2) return;
    const at = group.panels.indexOf(group.activePanel ?? group.panels[0]);
    const next = group.panels[(at + step + group.panels.length) % group.panels.length];
    next.api.setActive();
    this.focusTab(group);
  }

  /** Maximises the focused group, or restores it (Ctrl+Shift+M). */
  toggleMaximise(): void {
    const group = this.api.activeGroup;
    if (!group) return;
    if (group.api.isMaximized()) group.api.exitMaximized();
    else group.api.maximize();
  }

  /**
   * Moves the focus to the group beside the focused one (by where groups
   * are on screen), or to the next group in order (`next`, F6).
   */
  focusGroup(where: 'left' | 'right' | 'up' | 'down' | 'next'): void {
    const groups = this.api.groups.filter((g) => g.api.location.type === 'grid');
    if (groups.length === 0) return;
    const from = this.api.activeGroup ?? groups[0];
    let to: DockviewGroupPanel | undefined;
    if (where === 'next') {
      to = groups[(groups.indexOf(from) + 1) % groups.length];
    } else {
      const a = from.element.getBoundingClientRect();
      const centre = (r: DOMRect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      const c = centre(a);
      const candidates = groups
        .filter((g) => g !== from)
        .map((g) => ({ g, r: g.element.getBoundingClientRect() }))
        .filter(({ r }) =>
          where === 'left' ? r.right <= a.left + 1 : where === 'right' ? r.left >= a.right - 1 : where === 'up' ? r.bottom <= a.top + 1 : r.top >= a.bottom - 1,
        )
        .map(({ g, r }) => {
          const d = centre(r);
          return { g, distance: Math.hypot(d.x - c.x, d.y - c.y) };
        })
        .sort((x, y) => x.distance - y.distance);
      to = candidates[0]?.g;
    }
    if (!to) return;
    to.activePanel?.api.setActive();
    to.api.setActive();
    this.focusTab(to);
  }

  /** Puts the keyboard focus on a group's active tab, where arrow keys and Enter work. */
  private focusTab(group: DockviewGroupPanel): void {
    const id = group.activePanel?.id;
    if (!id) return;
    const tab = group.element.querySelector<HTMLElement>(`.tessera-tab[data-panel-id="${CSS.escape(id)}"]`)?.closest<HTMLElement>('.dv-tab');
    tab?.focus();
  }

  openInspector(): void {
    const existing = this.api.getPanel('bus-inspector');
    if (existing) {
      existing.api.setActive();
      return;
    }
    this.api.addPanel({
      id: 'bus-inspector',
      component: 'inspector',
      title: 'Bus inspector',
      position: this.api.groups.length > 0 ? { direction: 'below' } : undefined,
    });
  }

  /**
   * A widget went away (offline, or its entry removed) or came back. Its
   * panels keep their places: while it is away each shows why over its
   * frame; when it is back the frame is loaded afresh.
   */
  widgetAvailability(widgetId: string, title: string, available: boolean, since?: string): void {
    for (const frame of this.host.querySelectorAll<HTMLIFrameElement>('iframe.widget-frame')) {
      if (frame.dataset.widget !== widgetId) continue;
      const host = frame.parentElement;
      if (!host) continue;
      const shown = host.querySelector('.panel-offline');
      if (available) {
        if (shown) {
          shown.remove();
          frame.src = widgetUrl(widgetId, '');
        }
        continue;
      }
      if (shown) continue;
      const note = document.createElement('div');
      note.className = 'panel-offline';
      note.setAttribute('role', 'status');
      const when = since ? ` since ${new Date(since).toLocaleTimeString()}` : '';
      note.innerHTML = '<strong></strong><p></p>';
      note.querySelector('strong')!.textContent = `${title} is offline${when}`;
      note.querySelector('p')!.textContent =
        'Its publisher’s sidecar is not answering. The panel keeps its place and comes back by itself when the widget does.';
      host.append(note);
    }
  }

  /** The widgets of the panels in this window. */
  openWidgetIds(): string[] {
    return [...this.host.querySelectorAll<HTMLIFrameElement>('iframe.widget-frame')].map((f) => f.dataset.widget ?? '');
  }

  /** Reloads the frames of a widget whose files changed (hot reload). */
  reloadWidget(widgetId: string): void {
    for (const frame of this.host.querySelectorAll<HTMLIFrameElement>('iframe.widget-frame')) {
      if (frame.dataset.widget === widgetId) {
        frame.src = widgetUrl(widgetId, '');
      }
    }
  }

  async setChannel(panel: string, channel: string | null): Promise<void> {
    await this.bus.setChannel(panel, channel);
  }

  /** The bus says the panel's channel changed: remember it and show it. */
  showChannel(panel: string, channel: string | null): void {
    this.api.getPanel(panel)?.api.updateParameters({ channel });
  }

  setState(panel: string, state: unknown): void {
    this.api.getPanel(panel)?.api.updateParameters({ state });
  }

  /**
   * Moves a panel into a window of its own: with its top-left at `at` (a
   * point on the screen, where a tab dragged out of the window was let
   * go), else where the system puts new windows.
   */
  async popOut(panelId: string, at?: { x: number; y: number }): Promise<void> {
    const panel = this.api.getPanel(panelId);
    if (!panel || panel.view.contentComponent !== 'widget') return;
    const p = panel.params as unknown as PanelParams;
    this.moving.add(panelId);
    const title = panel.title ?? p.widget;
    const rect = at ? { x: Math.round(at.x), y: Math.round(at.y), ...POPOUT_SIZE } : null;
    try {
      await this.windowOp(() =>
        this.backend.popouts.popOut({ panel: panelId, widget: p.widget, title, state: p.state ?? {}, channel: p.channel ?? null, rect }),
      );
      this.popouts.set(panelId, {
        panel: { id: panelId, widget: p.widget, title, state: p.state ?? {}, channel: p.channel ?? null },
        ...(rect ?? { x: 0, y: 0, ...POPOUT_SIZE }),
      });
      panel.api.close();
    } catch (e) {
      this.moving.delete(panelId);
      throw e;
    }
  }
}
