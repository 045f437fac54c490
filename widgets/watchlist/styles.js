// The watchlist's own styles: it fills its panel and follows the shell's
// theme (`--tessera-*` custom properties, with the light theme as fallback).
export const css = `
  :host { display: block; height: 100%; font: 13px system-ui, sans-serif; color: var(--tessera-fg, #111827); }
  .wrap { box-sizing: border-box; height: 100%; overflow: auto; container-type: inline-size; }
  table { width: 100%; border-collapse: collapse; }
  th { position: sticky; top: 0; z-index: 1; background: var(--tessera-surface, #f9fafb); text-align: left; font-weight: 600; font-size: 11px;
       text-transform: uppercase; letter-spacing: .05em; color: var(--tessera-muted, #6b7280); padding: 8px 10px;
       border-bottom: 1px solid var(--tessera-border, #e5e7eb); }
  td { padding: 7px 10px; border-bottom: 1px solid var(--tessera-border, #e5e7eb); cursor: pointer; white-space: nowrap; }
  td.name { color: var(--tessera-muted, #6b7280); overflow: hidden; text-overflow: ellipsis; max-width: 16em; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  tr[tabindex]:hover td { background: var(--tessera-surface, #f9fafb); }
  tr[aria-selected="true"] td { background: color-mix(in srgb, var(--tessera-accent, #2563eb) 15%, transparent); }
  tr[tabindex]:focus { outline: none; }
  tr[tabindex]:focus-visible td { box-shadow: inset 0 2px 0 var(--tessera-accent, #2563eb), inset 0 -2px 0 var(--tessera-accent, #2563eb); }
  tr[tabindex]:focus-visible td:first-child { box-shadow: inset 2px 2px 0 var(--tessera-accent, #2563eb), inset 0 -2px 0 var(--tessera-accent, #2563eb); }
  tr[tabindex]:focus-visible td:last-child { box-shadow: inset -2px 2px 0 var(--tessera-accent, #2563eb), inset 0 -2px 0 var(--tessera-accent, #2563eb); }
  .up { color: var(--tessera-positive, #047857); } .down { color: var(--tessera-negative, #b91c1c); }
  /* A tick: the price cell lights up and fades back. Two identical
     animations, alternated, so each tick restarts the fade. */
  td.tick-up { --flash: color-mix(in srgb, var(--tessera-positive, #047857) 28%, transparent); }
  td.tick-down { --flash: color-mix(in srgb, var(--tessera-negative, #b91c1c) 28%, transparent); }
  td.tick-same { --flash: color-mix(in srgb, var(--tessera-muted, #6b7280) 22%, transparent); }
  td.flash-a { animation: flash-a .8s ease-out; } td.flash-b { animation: flash-b .8s ease-out; }
  @keyframes flash-a { from { background-color: var(--flash); } }
  @keyframes flash-b { from { background-color: var(--flash); } }
  @media (prefers-reduced-motion: reduce) { td.flash-a, td.flash-b { animation: none; } }
  table.stale .num { opacity: .55; }
  .status { margin: 8px 10px; padding: 6px 8px; border-radius: 4px; font-size: 12px;
            background: color-mix(in srgb, var(--tessera-negative, #b91c1c) 14%, transparent); }
  .status.info { background: transparent; padding: 0; color: var(--tessera-muted, #6b7280); }
  .status[hidden] { display: none; }
  .hint { padding: 8px 10px; color: var(--tessera-muted, #6b7280); font-size: 12px; }
  @container (max-width: 300px) { .name { display: none; } }`;
