// The shell's theme, as the canvas needs it: the `--tessera-*` custom
// properties the SDK sets on the frame's root (read through the element,
// which inherits them), with the light theme's values as fallbacks. The rest
// of the element follows them in CSS alone.

export interface ChartColours {
  fg: string;
  muted: string;
  border: string;
  accent: string;
}

const LIGHT: ChartColours = {
  fg: '#111827',
  muted: '#6b7280',
  border: '#e5e7eb',
  accent: '#2563eb',
};

const VARS: Record<keyof ChartColours, string> = {
  fg: '--tessera-fg',
  muted: '--tessera-muted',
  border: '--tessera-border',
  accent: '--tessera-accent',
};

export function chartColours(el: Element): ChartColours {
  const style = getComputedStyle(el);
  const out = { ...LIGHT };
  for (const key of Object.keys(VARS) as (keyof ChartColours)[]) {
    const v = style.getPropertyValue(VARS[key]).trim();
    if (v) out[key] = v;
  }
  return out;
}

/** `#rrggbb` (or `#rgb`) with an alpha; any other colour as it is. */
export function withAlpha(colour: string, alpha: number): string {
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour)?.[1];
  if (!hex) return colour;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Calls `fn` whenever the shell's theme changes; returns the unsubscribe. */
export function onThemeChange(fn: () => void): () => void {
  window.addEventListener('tessera:theme', fn);
  return () => window.removeEventListener('tessera:theme', fn);
}
