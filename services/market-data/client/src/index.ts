// The TypeScript client of tessera-market-data for widgets: requests under
// `api/` (through the shell, the server and the widget's sidecar), the
// long-poll loop for live ticks, and number formatting.
export * from './market';
export * as fmt from './format';
