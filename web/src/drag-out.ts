// A tab dragged out of the window pops its panel out where it was let go.
// The dock's own drags are pointer-driven (WebKitGTK starts no HTML5 drag
// from real mouse input): while the button is held, the window keeps
// receiving the pointer's events even beyond its edges, so a release
// outside the window is seen here, with the point on the screen.

/** How far the pointer moves before a press on a tab counts as a drag, in pixels. */
const THRESHOLD = 5;

/** Where the new window goes relative to the point of release: its title bar under the pointer. */
const GRIP = { x: 40, y: 12 };

/** Whether a release at `clientX/clientY` happened outside a viewport of `width` × `height`. */
export function outside(e: { clientX: number; clientY: number }, width: number, height: number): boolean {
  return e.clientX < 0 || e.clientY < 0 || e.clientX >= width || e.clientY >= height;
}

/** The top-left on the screen of a window whose title bar sits under a release at `screenX/screenY`. */
export function windowAt(e: { screenX: number; screenY: number }): { x: number; y: number } {
  return { x: Math.max(0, e.screenX - GRIP.x), y: Math.max(0, e.screenY - GRIP.y) };
}

/**
 * Watches presses on the tabs inside `host`; a drag that ends outside the
 * window calls `popOut` with the panel's id and the new window's top-left.
 */
export function popOutWhenDraggedOut(host: HTMLElement, popOut: (panel: string, at: { x: number; y: number }) => void): void {
  host.addEventListener(
    'pointerdown',
    (down) => {
      if (down.button !== 0) return;
      const tab = (down.target as Element).closest('.dv-tab');
      const panel = tab?.querySelector<HTMLElement>('[data-panel-id]')?.dataset.panelId;
      if (!panel || (down.target as Element).closest('button, .tab-close')) return;
      let dragged = false;
      const move = (e: PointerEvent) => {
        if (e.pointerId !== down.pointerId) return;
        dragged ||= Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) >= THRESHOLD;
      };
      const end = (e: PointerEvent) => {
        if (e.pointerId !== down.pointerId) return;
        removeEventListener('pointermove', move, true);
        removeEventListener('pointerup', end, true);
        removeEventListener('pointercancel', end, true);
        if (e.type === 'pointerup' && dragged && outside(e, innerWidth, innerHeight)) popOut(panel, windowAt(e));
      };
      addEventListener('pointermove', move, true);
      addEventListener('pointerup', end, true);
      addEventListener('pointercancel', end, true);
    },
    true,
  );
}
