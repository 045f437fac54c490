// A Backend for tests: records every call with its request, answers what
// the test scripted, and lets the test fire the backend's events.
import { toShellError, type Backend } from '../src/backend';

type Area = keyof Backend;
/** `layouts.save`, `tokens.revoke`, …: every method of the Backend. */
export type MethodKey = { [A in Area]: `${A}.${Extract<keyof Backend[A], string>}` }[Area];
type MethodOf<K extends MethodKey> = K extends `${infer A extends Area}.${infer M}`
  ? M extends keyof Backend[A]
    ? Backend[A][M]
    : never
  : never;
/** What the method answers. */
export type Answer<K extends MethodKey> = MethodOf<K> extends (...args: never[]) => Promise<infer R> ? R : never;
/** For a subscription (`links.onOpen`…): its events' payload. */
export type Payload<K extends MethodKey> = MethodOf<K> extends (handler: infer H) => Promise<void>
  ? H extends (payload: infer P) => void
    ? P
    : never
  : never;
/** What the method was sent (undefined for one without a request). */
export type Request<K extends MethodKey> = MethodOf<K> extends (r: infer R) => Promise<unknown> ? R : undefined;

type Scripted = ({ ok: unknown } | { error: unknown }) & { used?: boolean };

export class FakeBackend {
  /** Every call, in order: the method and its request. */
  readonly calls: { method: MethodKey; request: unknown }[] = [];
  private readonly scripts = new Map<MethodKey, Scripted[]>();
  private readonly handlers = new Map<MethodKey, ((payload: unknown) => void)[]>();

  /**
   * Queues an answer for `method`. Answers are used in order; the last one
   * is used again for every further call, until another is queued.
   */
  answer<K extends MethodKey>(method: K, value: Answer<K>): this {
    return this.script(method, { ok: value });
  }

  /** Queues a rejection, as the Tauri backend gives it: `error` (the core's string or refusal) as a ShellError. */
  fail(method: MethodKey, error: unknown): this {
    return this.script(method, { error: toShellError(error) });
  }

  /** The requests `method` was called with, in order. */
  requests<K extends MethodKey>(method: K): Request<K>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request as Request<K>);
  }

  /** The methods called, in order. */
  methods(): MethodKey[] {
    return this.calls.map((c) => c.method);
  }

  /** Fires an event to whoever subscribed with `method` (e.g. `links.onOpen`). */
  emit<K extends MethodKey>(method: K, payload: Payload<K>): void {
    for (const h of this.handlers.get(method) ?? []) h(payload);
  }

  private script(method: MethodKey, s: Scripted): this {
    const list = (this.scripts.get(method) ?? []).filter((x) => !x.used);
    list.push(s);
    this.scripts.set(method, list);
    return this;
  }

  private call<K extends MethodKey>(method: K, request?: unknown): Promise<Answer<K>> {
    this.calls.push({ method, request });
    const list = this.scripts.get(method) ?? [];
    const next = list.length > 1 ? list.shift() : list[0];
    if (next) next.used = true;
    if (!next) return Promise.reject(toShellError({ code: 'unscripted', message: `FakeBackend: no answer scripted for ${method}` }));
    return 'ok' in next ? Promise.resolve(next.ok as Answer<K>) : Promise.reject(next.error);
  }

  private on<K extends MethodKey>(method: K): (handler: (payload: Payload<K>) => void) => Promise<void> {
    return async (handler) => {
      this.calls.push({ method, request: undefined });
      const list = this.handlers.get(method) ?? [];
      list.push((p) => handler(p as Payload<K>));
      this.handlers.set(method, list);
    };
  }

  /** The Backend the code under test is handed. */
  readonly backend: Backend = {
    shell: {
      info: () => this.call('shell.info'),
    },
    catalogue: {
      list: () => this.call('catalogue.list'),
      follow: this.on('catalogue.follow'),
    },
    layouts: {
      demo: () => this.call('layouts.demo'),
      list: (r) => this.call('layouts.list', r),
      get: (r) => this.call('layouts.get', r),
      create: (r) => this.call('layouts.create', r),
      save: (r) => this.call('layouts.save', r),
      rename: (r) => this.call('layouts.rename', r),
      clone: (r) => this.call('layouts.clone', r),
      delete: (r) => this.call('layouts.delete', r),
      undelete: (r) => this.call('layouts.undelete', r),
      follow: (r) => this.call('layouts.follow', r),
      onFollow: this.on('layouts.onFollow'),
    },
    sharing: {
      get: (r) => this.call('sharing.get', r),
      set: (r) => this.call('sharing.set', r),
      directory: () => this.call('sharing.directory'),
    },
    history: {
      versions: (r) => this.call('history.versions', r),
      diff: (r) => this.call('history.diff', r),
      restore: (r) => this.call('history.restore', r),
    },
    drafts: {
      load: () => this.call('drafts.load'),
      save: (r) => this.call('drafts.save', r),
      clear: () => this.call('drafts.clear'),
      lastLayout: () => this.call('drafts.lastLayout'),
      setLastLayout: (r) => this.call('drafts.setLastLayout', r),
    },
    tokens: {
      mine: () => this.call('tokens.mine'),
      create: (r) => this.call('tokens.create', r),
      label: (r) => this.call('tokens.label', r),
      revoke: (r) => this.call('tokens.revoke', r),
    },
    signIn: {
      status: () => this.call('signIn.status'),
      signIn: (r) => this.call('signIn.signIn', r),
      local: () => this.call('signIn.local'),
      acceptInvitation: (r) => this.call('signIn.acceptInvitation', r),
      signOut: () => this.call('signIn.signOut'),
    },
    links: {
      open: (r) => this.call('links.open', r),
      onOpen: this.on('links.onOpen'),
    },
    popouts: {
      popOut: (r) => this.call('popouts.popOut', r),
      closeAll: () => this.call('popouts.closeAll'),
      info: () => this.call('popouts.info'),
      close: () => this.call('popouts.close'),
      dock: (r) => this.call('popouts.dock', r),
      saveState: (r) => this.call('popouts.saveState', r),
      openWidget: (widget) => this.call('popouts.openWidget', widget),
      onOpenWidget: this.on('popouts.onOpenWidget'),
      onDocked: this.on('popouts.onDocked'),
      onMoved: this.on('popouts.onMoved'),
      onState: this.on('popouts.onState'),
      onClosed: this.on('popouts.onClosed'),
    },
    bus: {
      attach: (onMessages) => this.call('bus.attach', onMessages),
      calls: (r) => this.call('bus.calls', r),
      registerPanel: (r) => this.call('bus.registerPanel', r),
      unregisterPanel: (r) => this.call('bus.unregisterPanel', r),
      setChannel: (r) => this.call('bus.setChannel', r),
      resolveIntent: (r) => this.call('bus.resolveIntent', r),
      inspect: (r) => this.call('bus.inspect', r),
    },
    startup: {
      mark: (r) => this.call('startup.mark', r),
    },
  };
}

/** Lets the promises the code under test started settle (and what they started, a few rounds deep). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setTimeout(r, 0));
}
