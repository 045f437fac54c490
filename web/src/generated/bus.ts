// Generated from the Rust types of shell-core (ts-rs) by
// `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript`; do not edit.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Call = { panel: string, id: number, op: string, args: JsonValue, };

export type Op = { "op": "hello" } | { "op": "ack", "args": { n: number, } } | { "op": "broadcast", "args": { channel?: string | null, context: JsonValue, } } | { "op": "addContextListener", "args": { listener: string, contextType?: string | null, channel?: string | null, } } | { "op": "removeListener", "args": { listener: string, } } | { "op": "getUserChannels" } | { "op": "joinUserChannel", "args": { channel: string, } } | { "op": "leaveCurrentChannel" } | { "op": "getCurrentChannel" } | { "op": "getOrCreateChannel", "args": { channel: string, } } | { "op": "getCurrentContext", "args": { channel: string, contextType?: string | null, } } | { "op": "getInfo" } | { "op": "addIntentListener", "args": { intent: string, } } | { "op": "removeIntentListener", "args": { intent: string, } } | { "op": "raiseIntent", "args": { intent: string, context: JsonValue, app?: string | null, instance?: string | null, } } | { "op": "raiseIntentForContext", "args": { context: JsonValue, app?: string | null, instance?: string | null, } } | { "op": "findIntent", "args": { intent: string, context?: JsonValue | null, resultType?: string | null, } } | { "op": "findIntentsByContext", "args": { context: JsonValue, resultType?: string | null, } } | { "op": "findInstances", "args": { app: string, } } | { "op": "createPrivateChannel" } | { "op": "addPrivateEventListener", "args": { channel: string, event: string, listener: string, } } | { "op": "removePrivateEventListener", "args": { listener: string, } } | { "op": "disconnect", "args": { channel: string, } } | { "op": "open", "args": { app: string, context?: JsonValue | null, } } | { "op": "getAppMetadata", "args": { app: string, instance?: string | null, } } | { "op": "intentResult", "args": { resultId: number, result?: JsonValue | null, error?: string | null, } };

export type Outgoing = { "to": "panel", panel: string, msg: ToPanel, } | { "to": "shell", msg: ToShell, };

export type ToPanel = { "kind": "response", id: number, result?: JsonValue, error?: string, } | { "kind": "context", listener: string, context: JsonValue, metadata: Metadata, } | { "kind": "intent", intent: string, context: JsonValue, metadata: Metadata, resultId: number, } | { "kind": "intentResult", id: number, result?: JsonValue, error?: string, } | { "kind": "channelChanged", channel: ChannelInfo | null, } | { "kind": "privateChannelEvent", listener: string, event: string, contextType?: string, };

export type ToShell = { "kind": "openWidget", widget: string, request: number, } | { "kind": "resolveIntent", request: number, intent: string, candidates: Array<Candidate>, } | { "kind": "panelChannel", panel: string, channel: string | null, };

export type Metadata = { source: Source, 
/**
 * Milliseconds since the Unix epoch, when the bus accepted the context.
 */
timestamp: number, traceId: string, channel?: string, };

export type Source = { appId: string, instanceId: string, };

export type Candidate = { appId: string, title: string, 
/**
 * `None`: open a new panel of the widget.
 */
instanceId: string | null, 
/**
 * For `raiseIntentForContext`: the intent this choice raises.
 */
intent?: string, };

export type ChannelInfo = { id: string, type: string, displayMetadata?: DisplayMetadata, };

export type DisplayMetadata = { name: string, color: string, glyph: string, };

export type Inspected = { seq: number, timestamp: number, channel: string, sourceWidget: string, sourcePanel: string, contextType: string, context: JsonValue, delivered: number, traceId: string, };

export type BusStats = { broadcasts: number, deliveries: number, 
/**
 * Deliveries dropped because a receiver's queue was full, by panel.
 */
overflow: { [key in string]: number }, };
