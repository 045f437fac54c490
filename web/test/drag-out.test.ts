// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { outside, popOutWhenDraggedOut, windowAt } from '../src/drag-out';

/** A tab as dockview draws it, holding the shell's tab content. */
function tabIn(host: HTMLElement, panel: string): HTMLElement {
  const tab = document.createElement('div');
  tab.className = 'dv-tab';
  const content = document.createElement('span');
  content.className = 'tessera-tab';
  content.dataset.panelId = panel;
  content.textContent = panel;
  tab.append(content);
  host.append(tab);
  return content;
}

function pointer(type: string, x: number, y: number, screen = { x: x + 100, y: y + 50 }): PointerEvent {
  return new PointerEvent(type, { bubbles: true, button: 0, pointerId: 1, clientX: x, clientY: y, screenX: screen.x, screenY: screen.y });
}

describe('a tab dragged out of the window', () => {
  it('knows the viewport’s edges', () => {
    expect(outside({ clientX: 0, clientY: 0 }, 800, 600)).toBe(false);
    expect(outside({ clientX: 799, clientY: 599 }, 800, 600)).toBe(false);
    expect(outside({ clientX: 800, clientY: 10 }, 800, 600)).toBe(true);
    expect(outside({ clientX: 10, clientY: -1 }, 800, 600)).toBe(true);
  });

  it('puts the new window’s title bar under the pointer, never off the screen', () => {
    expect(windowAt({ screenX: 1000, screenY: 300 })).toEqual({ x: 960, y: 288 });
    expect(windowAt({ screenX: 5, screenY: 3 })).toEqual({ x: 0, y: 0 });
  });

  it('pops the panel out where it was let go, and only then', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const tab = tabIn(host, 'p1');
    const popOut = vi.fn();
    popOutWhenDraggedOut(host, popOut);
    const { innerWidth: w } = window;

    // A click, and a drag that ends inside the window: nothing.
    tab.dispatchEvent(pointer('pointerdown', 20, 10));
    window.dispatchEvent(pointer('pointerup', 20, 10));
    tab.dispatchEvent(pointer('pointerdown', 20, 10));
    window.dispatchEvent(pointer('pointermove', 200, 100));
    window.dispatchEvent(pointer('pointerup', 200, 100));
    expect(popOut).not.toHaveBeenCalled();

    // Out past the right edge: popped out at the release's point on the screen.
    tab.dispatchEvent(pointer('pointerdown', 20, 10));
    window.dispatchEvent(pointer('pointermove', w + 30, 100));
    window.dispatchEvent(pointer('pointerup', w + 30, 100, { x: 1500, y: 400 }));
    expect(popOut).toHaveBeenCalledExactlyOnceWith('p1', { x: 1460, y: 388 });

    // A drag cancelled outside the window: nothing more.
    tab.dispatchEvent(pointer('pointerdown', 20, 10));
    window.dispatchEvent(pointer('pointermove', w + 30, 100));
    window.dispatchEvent(pointer('pointercancel', w + 30, 100));
    window.dispatchEvent(pointer('pointerup', w + 30, 100));
    expect(popOut).toHaveBeenCalledTimes(1);
  });
});
