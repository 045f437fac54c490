// The element's own styles: it fills its panel (`:host`), follows the
// shell's theme variables, and keeps the chart in the space the header leaves.
export const css = `
  :host { display: block; height: 100%; font: 13px system-ui, sans-serif; color: var(--tessera-fg, #111827); }
  .wrap { box-sizing: border-box; height: 100%; padding: 10px 12px 8px; display: flex; flex-direction: column; gap: 6px; }
  header { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; min-height: 22px; }
  h2 { margin: 0; font-size: 16px; }
  .name { color: var(--tessera-muted, #6b7280); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex: 1 1 8em; }
  .quote { display: flex; align-items: baseline; gap: 8px; white-space: nowrap; margin-left: auto; }
  .price { font-size: 15px; font-weight: 600; font-variant-numeric: tabular-nums; }
  .change { font-size: 12px; font-variant-numeric: tabular-nums; }
  .currency { color: var(--tessera-muted, #6b7280); font-size: 11px; font-weight: 400; }
  .up { color: var(--tessera-positive, #047857); } .down { color: var(--tessera-negative, #b91c1c); }
  .status { font-size: 12px; padding: 4px 8px; border-radius: 4px; color: var(--tessera-fg, #111827);
            background: color-mix(in srgb, var(--tessera-negative, #b91c1c) 14%, transparent); }
  .status.info { background: transparent; padding-left: 0; color: var(--tessera-muted, #6b7280); }
  .status[hidden] { display: none; }
  .body { position: relative; flex: 1; min-height: 80px; }
  .chart { position: absolute; inset: 0; }
  .chart[hidden] { display: none; }
  .chart.loading { visibility: hidden; }
  .empty { position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
           gap: 4px; text-align: center; padding: 16px; color: var(--tessera-muted, #6b7280); }
  .empty[hidden] { display: none; }
  .empty strong { color: var(--tessera-fg, #111827); font-weight: 600; }`;
