// The shell page's side of the bus: it relays between widget frames
// (postMessage) and the Rust core (the backend's bus: commands + a channel),
// and nothing else.
// A frame is known by its contentWindow; messages from anything else, and
// operations outside the SDK's list, are dropped.
import type { Backend } from './backend';
import type { Call, Candidate, JsonValue, Op, Outgoing, ToShell } from './generated/bus';

/** The SDK's operations (every `Op` of the core, checked by the compiler);
 * anything else from a frame is ignored. */
const OPS: Record<Op['op'], true> = {
  hello: true,
  ack: true,
  broadcast: true,
  addContextListener: true,
  removeListener: true,
  getUserChannels: true,
  joinUserChannel: true,
  leaveCurrentChannel: true,
  getCurrentChannel: true,
  getOrCreateChannel: true,
  getCurrentContext: true,
  getInfo: true,
  addIntentListener: true,
  removeIntentListener: true,
  raiseIntent: true,
  findIntent: true,
  intentResult: true,
  raiseIntentForContext: true,
  findIntentsByContext: true,
  findInstances: true,
  getAppMetadata: true,
  open: true,
  createPrivateChannel: true,
  addPrivateEventListener: true,
  removePrivateEventListener: true,
  disconnect: true,
};
const SDK_OPS = new Set<string>(Object.keys(OPS));

// The protocol with the Rust core, generated from its types (shell-core/src/bus).
export type { Candidate, Outgoing } from './generated/bus';

interface Frame {
  frame: HTMLIFrameElement;
  getState: () => unknown;
}

/** A key combination a frame passed on (the shell's shortcuts). */
export interface KeyPress {
  key: string;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
}

export interface BusHooks {
  /** A shortcut pressed while a widget had the focus. */
  shortcut(k: KeyPress): void;
  /** The theme widgets are told about. */
  theme(): unknown;
  /** A panel's channel changed (show its colour). */
  channelChanged(panel: string, channel: string | null): void;
  /** A widget asked to persist state. */
  stateChanged(panel: string, state: unknown): void;
  /** Open a new panel of `widget` (an intent waits for it). */
  openWidget(widget: string): void;
  /** The widget called `window.close()`: close its panel (apps opened with `open` close themselves). */
  closePanel(panel: string): void;
  /** Ask the user who should handle an intent; resolve with a candidate or null. */
  resolveIntent(intent: string, candidates: Candidate[]): Promise<Candidate | null>;
}


export class BusRelay {
  private readonly frames = new Map<string, Frame>();
  private queue: Call[] = [];
  private inFlight = false;

  private constructor(
    private readonly backend: Backend,
    private readonly hooks: BusHooks,
  ) {
    window.addEventListener('message', (e) => this.fromFrame(e));
  }

  static async start(backend: Backend, hooks: BusHooks): Promise<BusRelay> {
    const relay = new BusRelay(backend, hooks);
    await backend.bus.attach((msgs) => relay.fromCore(msgs));
    return relay;
  }

  /** A panel's frame exists: the bus knows the panel from now on. */
  async addFrame(panel: string, widget: string, channel: string | null, frame: HTMLIFrameElement, getState: () => unknown): Promise<void> {
    this.frames.set(panel, { frame, getState });
    await this.backend.bus.registerPanel({ panel, widget, channel });
  }

  async removeFrame(panel: string): Promise<void> {
    this.frames.delete(panel);
    await this.backend.bus.unregisterPanel({ panel });
  }

  /** Forget the frame without telling the bus (the panel moved to another window). */
  dropFrame(panel: string): void {
    this.frames.delete(panel);
  }

  async setChannel(panel: string, channel: string | null): Promise<void> {
    await this.backend.bus.setChannel({ panel, channel });
  }

  /** Hellos not yet answered, as `panel id`. */
  private readonly hellos = new Set<string>();

  private panelOf(source: MessageEventSource | null): string | undefined {
    for (const [panel, f] of this.frames) {
      if (f.frame.contentWindow === source) return panel;
    }
    return undefined;
  }

  private fromFrame(e: MessageEvent): void {
    const panel = this.panelOf(e.source);
    if (!panel) return;
    const m = e.data as { tessera?: unknown; id?: unknown; op?: unknown; args?: unknown };
    if (m?.tessera !== 1 || typeof m.op !== 'string') return;
    if (m.op === 'setState') {
      this.hooks.stateChanged(panel, (m.args as { state?: unknown })?.state ?? {});
      return;
    }
    if (m.op === 'theme') {
      this.toFrame(panel, [{ kind: 'theme', theme: this.hooks.theme() }]);
      return;
    }
    if (m.op === 'closePanel') {
      this.hooks.closePanel(panel);
      return;
    }
    if (m.op === 'shortcut') {
      const k = m.args as Partial<KeyPress> | null;
      if (k && typeof k.key === 'string') this.hooks.shortcut({ key: k.key, ctrl: !!k.ctrl, shift: !!k.shift, alt: !!k.alt });
      return;
    }
    if (!SDK_OPS.has(m.op)) {
      // Not a bus operation: refused, by name, to the frame that asked.
      if (typeof m.id === 'number' && m.id > 0) {
        this.toFrame(panel, [{ kind: 'response', id: m.id, error: 'UnknownOperation' }]);
      }
      return;
    }
    // The answer to this hello will carry the frame's state.
    if (m.op === 'hello' && typeof m.id === 'number') this.hellos.add(`${panel} ${m.id}`);
    // Whatever the frame posted: the core reads it as the operation's arguments and refuses what does not fit.
    this.queue.push({ panel, id: typeof m.id === 'number' ? m.id : 0, op: m.op, args: (m.args ?? null) as JsonValue });
    void this.flush();
  }

  /** One batch in flight at a time keeps every sender's order. */
  private async flush(): Promise<void> {
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = true;
    const calls = this.queue;
    this.queue = [];
    try {
      // Messages for this window come back with the call itself.
      this.fromCore(await this.backend.bus.calls({ calls }));
    } catch (err) {
      console.error('bus call failed', err);
    } finally {
      this.inFlight = false;
      if (this.queue.length) void this.flush();
    }
  }

  /** Tells every frame of this window the theme. */
  sendTheme(theme: unknown): void {
    for (const panel of this.frames.keys()) this.toFrame(panel, [{ kind: 'theme', theme }]);
  }

  private toFrame(panel: string, deliveries: unknown[]): void {
    this.frames.get(panel)?.frame.contentWindow?.postMessage({ tessera: 1, deliveries }, '*');
  }

  private fromCore(msgs: Outgoing[]): void {
    const perPanel = new Map<string, unknown[]>();
    for (const m of msgs) {
      if (m.to === 'panel') {
        let msg: unknown = m.msg;
        // The frame's state rides on the answer to its hello (and only
        // there: getAppMetadata's answer has an instanceId too, and FDC3
        // allows no other fields in AppMetadata).
        if (m.msg.kind === 'response' && this.hellos.delete(`${m.panel} ${m.msg.id}`) && m.msg.result && typeof m.msg.result === 'object') {
          msg = { ...m.msg, result: { ...(m.msg.result as object), state: this.frames.get(m.panel)?.getState() ?? {} } };
        }
        const list = perPanel.get(m.panel) ?? [];
        list.push(msg);
        perPanel.set(m.panel, list);
      } else {
        this.shellMessage(m.msg);
      }
    }
    for (const [panel, deliveries] of perPanel) this.toFrame(panel, deliveries);
  }

  private shellMessage(msg: ToShell): void {
    switch (msg.kind) {
      case 'panelChannel':
        this.hooks.channelChanged(msg.panel, msg.channel);
        return;
      case 'openWidget':
        this.hooks.openWidget(msg.widget);
        return;
      case 'resolveIntent':
        void this.hooks.resolveIntent(msg.intent, msg.candidates).then((choice) =>
          this.backend.bus.resolveIntent({ request: msg.request, choice }),
        );
        return;
    }
  }
}
