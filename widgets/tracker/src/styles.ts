// The element's own styles. It fills its panel, follows the shell's theme
// variables (each with the light theme's value as fallback), and lays itself
// out by its own size: the chart above the top pages in a small panel, the
// pages and the latest hits beside the chart in a wide one. uPlot's own
// stylesheet comes first (element.ts), so these rules adjust it.
export const css = `
  :host { display: block; height: 100%; font: 13px/1.35 system-ui, sans-serif; color: var(--tessera-fg, #111827); }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  button { font: inherit; color: inherit; }
  button:focus-visible, .chart:focus-visible { outline: 2px solid var(--tessera-accent, #2563eb); outline-offset: 1px; }
  .wrap { height: 100%; padding: 8px 10px; display: flex; flex-direction: column; gap: 6px; container-type: size; min-width: 0; }

  header { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; min-width: 0; }
  .total { display: flex; align-items: baseline; gap: 6px; flex: 1 1 9em; min-width: 0; }
  .total .n { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; letter-spacing: -0.01em; }
  .total .unit { font-weight: 600; }
  .scope { color: var(--tessera-muted, #6b7280); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
  .presets { display: inline-flex; border: 1px solid var(--tessera-border, #e5e7eb); border-radius: 6px; overflow: hidden; flex: none; }
  .presets button { border: 0; background: transparent; padding: 2px 8px; font-size: 12px; line-height: 18px; cursor: pointer;
                    color: var(--tessera-muted, #6b7280); white-space: nowrap; }
  .presets button + button { border-left: 1px solid var(--tessera-border, #e5e7eb); }
  .presets button:hover { color: var(--tessera-fg, #111827); }
  .presets button[aria-pressed="true"] { color: var(--tessera-fg, #111827); font-weight: 600;
                    background: color-mix(in srgb, var(--tessera-accent, #2563eb) 16%, transparent); }
  .live { display: inline-flex; align-items: center; gap: 4px; font-size: 11px; color: var(--tessera-muted, #6b7280); flex: none; }
  .dot { width: 7px; height: 7px; border-radius: 50%; background: var(--tessera-muted, #6b7280); }
  .live.on .dot { background: var(--tessera-positive, #059669); }
  .live.off { color: var(--tessera-negative, #dc2626); }
  .live.off .dot { background: var(--tessera-negative, #dc2626); }
  .chips { display: flex; flex-wrap: wrap; gap: 4px 6px; flex-basis: 100%; min-width: 0; }
  .chips:empty { display: none; }
  .chip { display: inline-flex; align-items: center; gap: 2px; max-width: 100%; min-width: 0; border-radius: 999px; padding: 0 2px 0 8px;
          font-size: 12px; line-height: 20px; white-space: nowrap;
          background: color-mix(in srgb, var(--tessera-accent, #2563eb) 12%, transparent);
          border: 1px solid color-mix(in srgb, var(--tessera-accent, #2563eb) 45%, transparent); }
  .chip .k { color: var(--tessera-muted, #6b7280); margin-right: 3px; }
  .chip .v { overflow: hidden; text-overflow: ellipsis; font-variant-numeric: tabular-nums; }
  .chip button { flex: none; border: 0; background: transparent; cursor: pointer; width: 18px; height: 18px; padding: 0;
                 border-radius: 50%; line-height: 18px; color: var(--tessera-muted, #6b7280); }
  .chip button:hover { color: var(--tessera-fg, #111827); background: color-mix(in srgb, var(--tessera-fg, #111827) 10%, transparent); }

  .problem, .note { font-size: 12px; padding: 4px 8px; border-radius: 4px; display: flex; gap: 8px; align-items: center; }
  .problem { background: color-mix(in srgb, var(--tessera-negative, #dc2626) 14%, transparent); }
  .problem .msg { flex: 1; min-width: 0; overflow-wrap: anywhere; }
  .problem button { flex: none; border: 1px solid var(--tessera-border, #e5e7eb); background: transparent; border-radius: 4px;
                    padding: 0 8px; cursor: pointer; }
  .note { color: var(--tessera-muted, #6b7280); padding: 0; }

  .body { flex: 1; min-height: 0; display: grid; gap: 6px 12px;
          grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(80px, 3fr) minmax(0, 2fr) auto;
          grid-template-areas: "chart" "pages" "latest"; }
  .chart-wrap { grid-area: chart; position: relative; min-height: 0; margin: 0; }
  .chart { position: absolute; inset: 0; overflow: hidden; border-radius: 4px; }
  .chart.blank { visibility: hidden; }
  .readout { position: absolute; top: 0; right: 4px; z-index: 2; pointer-events: none; font-size: 11px; padding: 1px 6px;
             border-radius: 4px; font-variant-numeric: tabular-nums; color: var(--tessera-fg, #111827);
             background: color-mix(in srgb, var(--tessera-surface, var(--tessera-bg, #ffffff)) 88%, transparent);
             border: 1px solid var(--tessera-border, #e5e7eb); }
  .overlay { position: absolute; inset: 0 0 26px 40px; display: flex; align-items: center; justify-content: center; text-align: center;
             pointer-events: none; color: var(--tessera-muted, #6b7280); font-size: 12px; padding: 8px; }

  h2 { margin: 0 0 2px; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em;
       color: var(--tessera-muted, #6b7280); display: flex; gap: 6px; align-items: baseline; white-space: nowrap; }
  h2 .sub { text-transform: none; letter-spacing: 0; font-weight: 400; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
  ol { list-style: none; margin: 0; padding: 0; }

  .pages { grid-area: pages; min-height: 0; display: flex; flex-direction: column; }
  .page-list { overflow-y: auto; min-height: 0; flex: 1; }
  .page-row { position: relative; display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 8px; align-items: center; width: 100%;
              border: 0; background: transparent; text-align: left; padding: 2px 6px; border-radius: 4px; cursor: pointer; line-height: 18px; }
  .page-row:hover { background: color-mix(in srgb, var(--tessera-fg, #111827) 6%, transparent); }
  .page-row[aria-pressed="true"] { box-shadow: inset 0 0 0 1px var(--tessera-accent, #2563eb); font-weight: 600; }
  .page-row .bar { position: absolute; left: 0; top: 2px; bottom: 2px; border-radius: 3px; pointer-events: none;
                   background: var(--tessera-accent, #2563eb); opacity: .16; transition: width .3s ease; }
  .page-row .name { position: relative; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .page-row .hits { position: relative; font-variant-numeric: tabular-nums; text-align: right; }
  .none { margin: 2px 6px; color: var(--tessera-muted, #6b7280); font-size: 12px; }

  .latest { grid-area: latest; min-width: 0; display: flex; align-items: baseline; gap: 8px; font-size: 12px;
            border-top: 1px solid var(--tessera-border, #e5e7eb); padding-top: 4px; }
  .latest h2 { margin: 0; }
  .hit-list { display: flex; gap: 12px; min-width: 0; overflow: hidden; white-space: nowrap; flex: 1; }
  .hit { display: inline-flex; gap: 5px; align-items: baseline; min-width: 0; flex: none; }
  .hit time { color: var(--tessera-muted, #6b7280); font-variant-numeric: tabular-nums; }
  .hit .page { font-weight: 600; overflow: hidden; text-overflow: ellipsis; max-width: 14em; }
  .hit .user { color: var(--tessera-muted, #6b7280); }
  .hit.new { animation: arrive 1.2s ease-out; }
  @keyframes arrive { from { background: color-mix(in srgb, var(--tessera-accent, #2563eb) 28%, transparent); } to { background: transparent; } }
  .latest .none { margin: 0; }

  /* A wide panel: the pages and the latest hits beside the chart. */
  @container (min-width: 620px) {
    .body { grid-template-columns: minmax(0, 1fr) minmax(210px, 30%); grid-template-rows: minmax(0, 1fr) auto;
            grid-template-areas: "chart pages" "chart latest"; }
    .latest { flex-direction: column; align-items: stretch; gap: 2px; }
    .hit-list { flex-direction: column; gap: 1px; }
    .hit { padding: 1px 6px; border-radius: 4px; flex: 0 0 auto; }
    .hit .page { max-width: none; flex: 0 1 auto; }
    .hit .user { margin-left: auto; }
  }
  /* A short panel: the chart and the latest hits only; a very short one,
     the chart alone (it keeps what height there is). */
  @container (max-height: 300px) {
    .body { grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 1fr) auto; grid-template-areas: "chart" "latest"; }
    .pages { display: none; }
    .latest { flex-direction: row; align-items: baseline; gap: 8px; }
    .hit-list { flex-direction: row; gap: 12px; }
    .hit { padding: 0; }
    .hit .user { margin-left: 0; }
  }
  @container (max-height: 220px) {
    .body { grid-template-rows: minmax(0, 1fr); grid-template-areas: "chart"; }
    .latest { display: none; }
  }
  @container (max-width: 360px) {
    .scope { display: none; }
    .presets button { padding: 2px 6px; }
  }

  /* uPlot in the theme's colours: the brush, the cursor line. */
  .uplot { font-family: inherit; line-height: 1.2; }
  .u-over { cursor: crosshair; }
  .u-select { background: color-mix(in srgb, var(--tessera-accent, #2563eb) 16%, transparent);
              box-shadow: inset 1px 0 0 var(--tessera-accent, #2563eb), inset -1px 0 0 var(--tessera-accent, #2563eb); }
  .u-hz .u-cursor-x { border-right: 1px dashed var(--tessera-muted, #6b7280); }
  @media (prefers-reduced-motion: reduce) {
    .page-row .bar { transition: none; }
    .hit.new { animation: none; }
  }`;
