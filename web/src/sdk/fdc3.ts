// Tessera's widget SDK: loaded into every widget frame before the widget's
// own module. It gives the frame `window.fdc3`, an FDC3 2.2 DesktopAgent for
// this panel, and `window.tessera` (the panel's persisted state). It talks
// to the shell only with postMessage to its parent; the frame has no other
// way into the shell (opaque origin, no Tauri IPC).
import type {
  AppIdentifier,
  AppIntent,
  AppMetadata,
  Channel,
  Context,
  ContextHandler,
  DesktopAgent,
  EventHandler,
  ImplementationMetadata,
  IntentHandler,
  IntentResolution,
  IntentResult,
  Listener,
  PrivateChannel,
} from '@finos/fdc3';

import { keyPress, shortcutFor } from '../shortcuts';
import { installLanguageFallback } from './language';
import { installStorageFallback } from './storage';
import type { ToPanel } from '../generated/bus';

// Before the widget's own code runs: apps on @finos/fdc3 read sessionStorage first.
installStorageFallback(window);
// And libraries that format numbers with navigator.language when they load.
installLanguageFallback(navigator);

type Json = Record<string, unknown>;

/** The shell's theme: its name and the CSS custom properties widgets may use. */
interface WidgetTheme {
  name: 'light' | 'dark';
  vars: Record<string, string>;
}

/** What reaches the frame: the bus's messages (generated from the core's
 * `ToPanel`) and the shell page's theme. */
type Delivery = ToPanel | { kind: 'theme'; theme: WidgetTheme };

const parent = window.parent;
let seq = 0;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const intentResults = new Map<number, { resolve: (v: IntentResult) => void; reject: (e: Error) => void }>();
const earlyResults = new Map<number, Extract<ToPanel, { kind: 'intentResult' }>>();
const contextHandlers = new Map<string, ContextHandler>();
const intentHandlers = new Map<string, IntentHandler>();
const channelChanged = new Set<EventHandler>();
/** Private-channel event handlers by listener id. */
const privateHandlers = new Map<string, (contextType: string | undefined) => void>();
let unacked = 0;
let ackScheduled = false;
let state: unknown = {};

function send(op: string, args?: unknown, id = 0): void {
  parent.postMessage({ tessera: 1, id, op, args }, '*');
}

function request<T>(op: string, args?: unknown): Promise<T> {
  const id = ++seq;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    send(op, args, id);
  });
}

function fdc3Error(name: string): Error {
  const e = new Error(name);
  e.name = name;
  return e;
}

/** Acknowledges handled deliveries in batches: at 64, or 20 ms after the first. */
function ack(): void {
  unacked++;
  if (unacked >= 64) {
    flushAcks();
  } else if (!ackScheduled) {
    ackScheduled = true;
    setTimeout(flushAcks, 20);
  }
}

function flushAcks(): void {
  ackScheduled = false;
  if (unacked === 0) return;
  const n = unacked;
  unacked = 0;
  send('ack', { n });
}

function channelObject(info: Json): Channel {
  const id = String(info.id);
  return {
    id,
    type: info.type as Channel['type'],
    displayMetadata: info.displayMetadata as Channel['displayMetadata'],
    broadcast: (context: Context) => request<void>('broadcast', { channel: id, context }),
    getCurrentContext: (contextType?: string) =>
      request<Context | null>('getCurrentContext', { channel: id, contextType: contextType ?? null }),
    addContextListener: ((a: string | null | ContextHandler, b?: ContextHandler) =>
      addListener(typeof a === 'function' ? null : a, (typeof a === 'function' ? a : b) as ContextHandler, id)) as Channel['addContextListener'],
  };
}

/** FDC3 private-channel event names, as `addEventListener` takes them. */
const PRIVATE_EVENTS: Record<string, string> = {
  addContextListener: 'addContextListener',
  unsubscribe: 'unsubscribe',
  disconnect: 'disconnect',
};

async function onPrivateEvent(
  channel: string,
  event: string,
  handler: (contextType: string | undefined) => void,
): Promise<Listener> {
  const listener = `p${++seq}`;
  privateHandlers.set(listener, handler);
  await request('addPrivateEventListener', { channel, event, listener });
  return {
    unsubscribe: async () => {
      privateHandlers.delete(listener);
      await request('removePrivateEventListener', { listener });
    },
  };
}

function privateChannelObject(info: Json): PrivateChannel {
  const base = channelObject(info);
  const id = base.id;
  const channel = {
    ...base,
    onAddContextListener: (h: (contextType?: string) => void) => onPrivateEvent(id, 'addContextListener', h),
    onUnsubscribe: (h: (contextType?: string) => void) => onPrivateEvent(id, 'unsubscribe', h),
    onDisconnect: (h: () => void) => onPrivateEvent(id, 'disconnect', () => h()),
    addEventListener: async (type: string | null, handler: EventHandler) => {
      const events = type === null ? Object.keys(PRIVATE_EVENTS) : [type];
      if (events.some((e) => !(e in PRIVATE_EVENTS))) throw fdc3Error('UnknownEventType');
      const listeners = await Promise.all(
        events.map((e) =>
          onPrivateEvent(id, e, (contextType) =>
            handler({ type: e, details: e === 'disconnect' ? null : { contextType: contextType ?? null } } as never),
          ),
        ),
      );
      return { unsubscribe: async () => void (await Promise.all(listeners.map((l) => l.unsubscribe()))) };
    },
    disconnect: () => request<void>('disconnect', { channel: id }),
  };
  return channel as unknown as PrivateChannel;
}

/** A channel from the wire: private ones get their extra methods. */
function anyChannel(info: Json): Channel {
  return info.type === 'private' ? privateChannelObject(info) : channelObject(info);
}

/** Marks a channel result, which cannot cross postMessage as an object. */
const CHANNEL_RESULT = '__tesseraChannel';

/** What an intent handler returned, as it can cross to the raiser. */
function wireResult(result: unknown): unknown {
  if (!result || typeof result !== 'object') return null;
  const r = result as Json;
  if (typeof r.id === 'string' && typeof r.broadcast === 'function') {
    return { [CHANNEL_RESULT]: { id: r.id, type: r.type, displayMetadata: r.displayMetadata ?? null } };
  }
  return 'type' in r ? r : null;
}

/** An intent result from the wire: a context, a channel, or nothing. */
function fromWireResult(result: unknown): IntentResult {
  const r = result as Json | null | undefined;
  const channel = r && (r[CHANNEL_RESULT] as Json | undefined);
  if (channel) return anyChannel(channel);
  return (r ?? undefined) as IntentResult;
}

async function addListener(contextType: string | null, handler: ContextHandler, channel: string | null): Promise<Listener> {
  const listener = `l${++seq}`;
  contextHandlers.set(listener, handler);
  await request('addContextListener', { listener, contextType, channel });
  return {
    unsubscribe: async () => {
      contextHandlers.delete(listener);
      await request('removeListener', { listener });
    },
  };
}

function deliver(d: Delivery): void {
  switch (d.kind) {
    case 'response': {
      const w = waiting.get(d.id);
      if (!w) return;
      waiting.delete(d.id);
      if (d.error) w.reject(fdc3Error(d.error));
      else w.resolve(d.result);
      return;
    }
    case 'context': {
      ack();
      const h = contextHandlers.get(d.listener);
      try {
        h?.(d.context as Context, d.metadata as never);
      } catch (e) {
        console.error('context handler failed', e);
      }
      return;
    }
    case 'intent': {
      ack();
      const h = intentHandlers.get(d.intent);
      const resultId = d.resultId;
      Promise.resolve()
        .then(() => (h ? h(d.context as Context, d.metadata as never) : Promise.reject(fdc3Error('IntentDeliveryFailed'))))
        .then(
          (result) => send('intentResult', { resultId, result: wireResult(result) }),
          (e) => send('intentResult', { resultId, error: String(e) }),
        );
      return;
    }
    case 'intentResult': {
      const w = intentResults.get(d.id);
      if (!w) {
        earlyResults.set(d.id, d);
        return;
      }
      intentResults.delete(d.id);
      if (d.error) w.reject(fdc3Error(d.error));
      else w.resolve(fromWireResult(d.result));
      return;
    }
    case 'privateChannelEvent': {
      ack();
      const h = privateHandlers.get(d.listener);
      try {
        h?.(d.contextType);
      } catch (e) {
        console.error('private channel handler failed', e);
      }
      return;
    }
    case 'theme': {
      if (d.theme) applyTheme(d.theme);
      return;
    }
    case 'channelChanged': {
      const details = { currentChannelId: d.channel ? String(d.channel.id) : null };
      for (const h of channelChanged) {
        try {
          h({ type: 'userChannelChanged', details });
        } catch (e) {
          console.error('userChannelChanged handler failed', e);
        }
      }
      return;
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only the shell (the parent page) speaks to the SDK.
  if (e.source !== parent) return;
  const data = e.data as { tessera?: number; deliveries?: Delivery[] };
  if (data?.tessera !== 1 || !Array.isArray(data.deliveries)) return;
  for (const d of data.deliveries) deliver(d);
});

function resolution(r: Json, id: number): IntentResolution {
  return {
    source: r.source as AppIdentifier,
    intent: String(r.intent),
    getResult: () =>
      new Promise<IntentResult>((resolve, reject) => {
        const early = earlyResults.get(id);
        if (early) {
          earlyResults.delete(id);
          if (early.error) reject(fdc3Error(early.error));
          else resolve(fromWireResult(early.result));
          return;
        }
        intentResults.set(id, { resolve, reject });
      }),
  };
}

/** The target of a raise: an app by id, or one of its instances. */
function target(app?: AppIdentifier | string): { app: string | null; instance: string | null } {
  if (typeof app === 'string') return { app, instance: null };
  return { app: app?.appId ?? null, instance: app?.instanceId ?? null };
}

async function raiseWith(op: string, args: Json): Promise<IntentResolution> {
  const id = ++seq;
  const r = await new Promise<Json>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    send(op, args, id);
  });
  return resolution(r, id);
}

function raise(intent: string, context: Context, app?: AppIdentifier | string): Promise<IntentResolution> {
  return raiseWith('raiseIntent', { intent, context, ...target(app) });
}

function raiseForContext(context: Context, app?: AppIdentifier | string): Promise<IntentResolution> {
  return raiseWith('raiseIntentForContext', { context, ...target(app) });
}

const agent: DesktopAgent = {
  broadcast: (context: Context) => request<void>('broadcast', { context }),
  addContextListener: ((a: string | null | ContextHandler, b?: ContextHandler) =>
    addListener(typeof a === 'function' ? null : a, (typeof a === 'function' ? a : b) as ContextHandler, null)) as DesktopAgent['addContextListener'],
  getUserChannels: async () => (await request<Json[]>('getUserChannels')).map(channelObject),
  getSystemChannels: async () => (await request<Json[]>('getUserChannels')).map(channelObject),
  joinUserChannel: (channelId: string) => request<void>('joinUserChannel', { channel: channelId }),
  joinChannel: (channelId: string) => request<void>('joinUserChannel', { channel: channelId }),
  getCurrentChannel: async () => {
    const c = await request<Json | null>('getCurrentChannel');
    return c ? channelObject(c) : null;
  },
  leaveCurrentChannel: () => request<void>('leaveCurrentChannel'),
  getOrCreateChannel: async (channelId: string) => channelObject(await request<Json>('getOrCreateChannel', { channel: channelId })),
  createPrivateChannel: async () => privateChannelObject(await request<Json>('createPrivateChannel')),
  getInfo: () => request<ImplementationMetadata>('getInfo'),
  getAppMetadata: (app: AppIdentifier) =>
    request<AppMetadata>('getAppMetadata', { app: app.appId, instance: app.instanceId ?? null }),
  addEventListener: async (type: string | null, handler: EventHandler) => {
    if (type !== null && type !== 'userChannelChanged') throw fdc3Error('UnknownEventType');
    channelChanged.add(handler);
    return {
      unsubscribe: async () => {
        channelChanged.delete(handler);
      },
    };
  },
  addIntentListener: async (intent: string, handler: IntentHandler) => {
    intentHandlers.set(intent, handler);
    await request('addIntentListener', { intent });
    return {
      unsubscribe: async () => {
        intentHandlers.delete(intent);
        await request('removeIntentListener', { intent });
      },
    };
  },
  raiseIntent: raise as DesktopAgent['raiseIntent'],
  raiseIntentForContext: raiseForContext as DesktopAgent['raiseIntentForContext'],
  findIntent: (intent: string, context?: Context, resultType?: string) =>
    request<AppIntent>('findIntent', { intent, context: context ?? null, resultType: resultType ?? null }),
  findIntentsByContext: (context: Context, resultType?: string) =>
    request<AppIntent[]>('findIntentsByContext', { context, resultType: resultType ?? null }),
  findInstances: (app: AppIdentifier) => request<AppIdentifier[]>('findInstances', { app: app.appId }),
  open: ((app: AppIdentifier | string, context?: Context) =>
    request<AppIdentifier>('open', {
      app: typeof app === 'string' ? app : app.appId,
      context: context ?? null,
    })) as DesktopAgent['open'],
};

let theme: WidgetTheme = { name: 'light', vars: {} };
const themeHandlers = new Set<(t: WidgetTheme) => void>();

/**
 * The theme reaches the widget three ways: CSS custom properties on the
 * document's root (`var(--tessera-fg)`), `data-tessera-theme` and
 * `color-scheme` on it, and `tessera.onThemeChange` / a `tessera:theme` event.
 */
function applyTheme(t: WidgetTheme): void {
  theme = t;
  const root = document.documentElement;
  for (const [k, v] of Object.entries(t.vars)) root.style.setProperty(k, v);
  root.dataset.tesseraTheme = t.name;
  root.style.colorScheme = t.name;
  for (const h of themeHandlers) {
    try {
      h(t);
    } catch (e) {
      console.error('theme handler failed', e);
    }
  }
  window.dispatchEvent(new CustomEvent('tessera:theme', { detail: t }));
}

// The shell's shortcuts work while a widget has the focus: the frame passes
// on exactly the key presses the shell's table names (and keeps them from
// the widget); every other key stays the widget's.
window.addEventListener(
  'keydown',
  (e) => {
    const k = keyPress(e);
    if (!shortcutFor(k)) return;
    e.preventDefault();
    e.stopPropagation();
    send('shortcut', k);
  },
  true,
);

/** Tessera extras: the panel's own state, saved with the layout, and the theme. */
const tessera = {
  getTheme: () => theme,
  onThemeChange: (h: (t: WidgetTheme) => void) => {
    themeHandlers.add(h);
    return { unsubscribe: () => void themeHandlers.delete(h) };
  },
  getState: () => state,
  setState: (next: unknown) => {
    state = next;
    send('setState', { state: next });
  },
};

declare global {
  interface Window {
    fdc3?: DesktopAgent;
    tessera: typeof tessera;
  }
}

Object.defineProperty(window, 'fdc3', { value: agent, writable: false, configurable: false });
// A sandboxed frame cannot close itself: `window.close()` asks the shell to
// close the widget's panel (or pop-out) instead.
window.close = () => send('closePanel');
Object.defineProperty(window, 'tessera', { value: tessera, writable: false, configurable: false });

send('theme');
// Tell the shell this frame is ready; then tell the widget (FDC3's fdc3Ready).
request<Json>('hello').then((info) => {
  state = info.state ?? {};
  window.dispatchEvent(new Event('fdc3Ready'));
});
