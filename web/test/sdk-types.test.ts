// sdk-types/tessera-widget.d.ts (what widget authors compile against) is
// part of this project's type check (tsconfig.json `include`):
// - `widgetCode` uses window.fdc3, window.tessera and the events as a widget
//   would; it is type-checked, never run;
// - the `Check<…>` lines compare the declarations with the SDK itself
//   (web/src/sdk/fdc3.ts, seen here as `Window['tessera']`), so
//   `npm run typecheck` fails when they drift apart;
// - the test below compares the declared theme variables with the shell's
//   (src/theme.ts).
import type { Context, DesktopAgent, Listener } from '@finos/fdc3';
import { describe, expect, it } from 'vitest';

import type { TesseraTheme, TesseraThemeVar, TesseraWidgetApi } from '../../sdk-types/tessera-widget';
import { WIDGET_THEME } from '../src/theme';

/** Written as a widget's module would be. */
export function widgetCode(api: TesseraWidgetApi): void {
  class AcmeQuote extends HTMLElement {
    private listener: Promise<Listener> | null = null;

    connectedCallback(): void {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = '<style>:host { display: block; height: 100%; color: var(--tessera-fg, #111827); }</style><p></p>';
      // No `?.` and no `!`: in a frame both exist before the module runs.
      const agent: DesktopAgent = window.fdc3;
      this.listener = agent.addContextListener('fdc3.instrument', (ctx: Context) => {
        const ticker: unknown = ctx.id?.ticker;
        if (typeof ticker === 'string') window.tessera.setState({ ticker });
      });
      const restore = () => {
        const saved = window.tessera.getState() as { ticker?: string } | null;
        root.querySelector('p')!.textContent = saved?.ticker ?? 'Select an instrument';
      };
      restore();
      window.addEventListener('fdc3Ready', (e: Event) => {
        void e.type;
        restore();
      });
      const theme: TesseraTheme = window.tessera.getTheme();
      const dark: boolean = theme.name === 'dark';
      void dark;
      const sub = window.tessera.onThemeChange((t) => {
        const fg: string | undefined = t.vars['--tessera-fg' satisfies TesseraThemeVar];
        void fg;
      });
      sub.unsubscribe();
      window.addEventListener('tessera:theme', (e) => {
        const name: 'light' | 'dark' = e.detail.name;
        void name;
      });
      // The bare globals, as some libraries use them.
      void fdc3.broadcast({ type: 'fdc3.instrument', id: { ticker: 'AAPL' } });
      void tessera.getState();
      // Canaries: each line must be an error. A declaration file is not
      // itself checked here (skipLibCheck), and a broken import or name in it
      // makes its types `any`, which no error would reveal but these.
      // @ts-expect-error window.fdc3 is a DesktopAgent, not any
      window.fdc3.noSuchMethod();
      // @ts-expect-error so is the bare fdc3
      fdc3.noSuchMethod();
      // @ts-expect-error window.tessera has the four members only
      window.tessera.noSuchMethod();
      // @ts-expect-error a theme has a name and vars only
      void api.getTheme().noSuchField;
      // @ts-expect-error onThemeChange answers a subscription
      void api.onThemeChange(() => {}).noSuchField;
      // @ts-expect-error the event's detail is the theme
      window.addEventListener('tessera:theme', (e) => void e.detail.noSuchField);
    }

    async disconnectedCallback(): Promise<void> {
      await (await this.listener)?.unsubscribe();
    }
  }
  if (!customElements.get('acme-quote')) customElements.define('acme-quote', AcmeQuote);
}

// ---- The declarations against the SDK (web/src/sdk/fdc3.ts) ----

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`. */
type Check<T extends true> = T;

/** What the SDK puts on window.tessera (its `typeof tessera`). */
type Sdk = Window['tessera'];
type Api = TesseraWidgetApi;

export type DriftChecks = [
  // The same members, no more and no fewer.
  Check<Equals<keyof Sdk, keyof Api>>,
  // The SDK's object fits the declarations member by member (parameters
  // compared strictly: the declarations use property syntax).
  Check<Sdk extends Api ? true : false>,
  // And each member exactly, but for `unsubscribe`, declared `() => void`
  // where the SDK's happens to return `undefined`.
  Check<Equals<Sdk['getState'], Api['getState']>>,
  Check<Equals<Sdk['setState'], Api['setState']>>,
  Check<Equals<Sdk['getTheme'], Api['getTheme']>>,
  Check<Equals<ReturnType<Sdk['getTheme']>, TesseraTheme>>,
  Check<Equals<Parameters<Sdk['onThemeChange']>, Parameters<Api['onThemeChange']>>>,
  Check<Equals<keyof ReturnType<Sdk['onThemeChange']>, keyof ReturnType<Api['onThemeChange']>>>,
  Check<Equals<ReturnType<Api['onThemeChange']>['unsubscribe'], () => void>>,
  // window.fdc3 and the globals are what a widget is promised.
  Check<Equals<typeof window.fdc3, DesktopAgent>>,
  Check<Equals<typeof window.tessera, Sdk & Api>>,
  Check<Equals<WindowEventMap['tessera:theme'], CustomEvent<TesseraTheme>>>,
  Check<Equals<WindowEventMap['fdc3Ready'], Event>>,
];

// ---- The theme's variables against the shell's ----

/** Every TesseraThemeVar, once (the Check fails if one is missing). */
const DECLARED = [
  '--tessera-bg',
  '--tessera-surface',
  '--tessera-fg',
  '--tessera-muted',
  '--tessera-border',
  '--tessera-accent',
  '--tessera-positive',
  '--tessera-negative',
] as const satisfies readonly TesseraThemeVar[];
export type AllVarsListed = Check<Equals<(typeof DECLARED)[number], TesseraThemeVar>>;

describe('sdk-types', () => {
  it('declares exactly the CSS custom properties each theme sets', () => {
    for (const name of ['light', 'dark'] as const) {
      expect(Object.keys(WIDGET_THEME[name]).sort()).toEqual([...DECLARED].sort());
    }
  });
});
