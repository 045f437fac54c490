// Marks in the app's log when the first screen is drawn, for the start-up
// benchmark (scripts/bench.sh startup): the sign-in screen, the first
// widget's frame loaded, and every frame of the opened layout loaded.
import type { Backend } from './backend';

const marked = new Set<string>();

/** Logs `what` once, after the next frame is painted. */
export function mark(backend: Backend, what: 'sign-in' | 'first-widget' | 'layout'): void {
  if (marked.has(what)) return;
  marked.add(what);
  requestAnimationFrame(() => void backend.startup.mark({ what }).catch(() => {}));
}

/** Follows the widget frames' loads until the whole opened layout is loaded. */
export function followFrames(backend: Backend, host: HTMLElement): void {
  const loaded = new WeakSet<HTMLIFrameElement>();
  const check = () => {
    const frames = [...host.querySelectorAll<HTMLIFrameElement>('iframe.widget-frame')];
    if (document.body.dataset.ready === 'true' && frames.length > 0 && frames.every((f) => loaded.has(f))) mark(backend, 'layout');
  };
  host.addEventListener(
    'load',
    (e) => {
      if (!(e.target instanceof HTMLIFrameElement) || !e.target.classList.contains('widget-frame')) return;
      loaded.add(e.target);
      mark(backend, 'first-widget');
      check();
    },
    true,
  );
  new MutationObserver(check).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
}
