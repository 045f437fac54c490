// Dragging a widget from the marketplace into the dock with the pointer:
// a ghost follows the pointer, the drop zone under it is previewed (a tab,
// or a split on one side of a group), and releasing adds the panel there.
// Pointer events, like the dock's own tab drags, because WebKitGTK starts
// no HTML5 drag from real mouse input in the app's window.
import type { DockviewGroupPanel } from 'dockview-core';
import { dropZone, previewBox, type Direction } from './placement';
import type { Widget } from './types';
import type { Workspace } from './workspace';

/** How far the pointer moves before a press becomes a drag, in pixels. */
const THRESHOLD = 5;

type Target = { group: DockviewGroupPanel; direction: Direction } | 'empty';

export function dragIntoDock(item: HTMLElement, widget: Widget, ws: Workspace, dock: HTMLElement): void {
  item.addEventListener('pointerdown', (down) => {
    if (down.button !== 0 || widget.state === 'offline' || (down.target as Element).closest('button')) return;
    // No text selection while the press turns into a drag.
    down.preventDefault();
    const start = { x: down.clientX, y: down.clientY };
    let ghost: HTMLElement | undefined;
    let preview: HTMLElement | undefined;
    let target: Target | undefined;

    const begin = () => {
      ghost = document.createElement('div');
      ghost.className = 'drag-ghost';
      ghost.textContent = widget.title;
      preview = document.createElement('div');
      preview.className = 'drop-preview';
      preview.hidden = true;
      document.body.append(ghost, preview);
      // Frames would swallow the pointer while it crosses them.
      document.body.classList.add('dragging-widget');
    };

    const aim = (x: number, y: number) => {
      target = undefined;
      const d = dock.getBoundingClientRect();
      if (x >= d.left && x < d.right && y >= d.top && y < d.bottom) {
        const hit = ws.groupAt(x, y);
        if (hit) {
          const direction = dropZone(hit.box, hit.header, x, y);
          target = { group: hit.group, direction };
          show(previewBox(hit.box, hit.header, direction));
          return;
        }
        if (ws.api.groups.length === 0) {
          target = 'empty';
          show(d);
          return;
        }
      }
      if (preview) preview.hidden = true;
    };

    const show = (b: { left: number; top: number; width: number; height: number }) => {
      if (!preview) return;
      Object.assign(preview.style, { left: `${b.left}px`, top: `${b.top}px`, width: `${b.width}px`, height: `${b.height}px` });
      preview.hidden = false;
    };

    const move = (e: PointerEvent) => {
      if (!ghost) {
        if (Math.hypot(e.clientX - start.x, e.clientY - start.y) < THRESHOLD) return;
        begin();
      }
      ghost!.style.transform = `translate(${e.clientX + 12}px, ${e.clientY + 8}px)`;
      aim(e.clientX, e.clientY);
    };

    const end = (drop: boolean) => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
      removeEventListener('pointercancel', cancel);
      removeEventListener('keydown', escape, true);
      ghost?.remove();
      preview?.remove();
      document.body.classList.remove('dragging-widget');
      if (drop && ghost && target) {
        ws.add(widget, undefined, undefined, target === 'empty' ? undefined : target);
      }
    };
    const up = () => end(true);
    const cancel = () => end(false);
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        end(false);
      }
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
    addEventListener('pointercancel', cancel);
    addEventListener('keydown', escape, true);
  });
}
