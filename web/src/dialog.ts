// Modal dialogs of the shell page and a small element builder for them.

/** `el('button', { className: 'x', type: 'button' }, 'Text')` */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { dataset, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

export interface Dialog {
  /** The dialog box: append the body to it. */
  box: HTMLElement;
  close(): void;
}

/** Opens a modal titled `title`; Escape or `close()` removes it, then `onClose` runs. */
export function openDialog(title: string, className: string, onClose?: () => void): Dialog {
  const back = el('div', { className: 'modal-back' });
  const box = el('div', { className: `modal ${className}` }, el('h3', {}, title));
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-modal', 'true');
  box.setAttribute('aria-label', title);
  // The keyboard goes into the dialog (unless its maker put it somewhere
  // inside already), and back where it was when the dialog closes.
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    back.remove();
    onClose?.();
    if (before?.isConnected) before.focus();
  };
  back.addEventListener('keydown', (e) => e.key === 'Escape' && close());
  back.append(box);
  document.body.append(back);
  requestAnimationFrame(() => {
    if (open && !box.contains(document.activeElement)) {
      box.querySelector<HTMLElement>('input, select, textarea, button, [tabindex="0"]')?.focus();
    }
  });
  return { box, close };
}

/** A row of dialog buttons, the last one the default. */
export function buttons(...items: [label: string, className: string, action: () => void][]): HTMLElement {
  const row = el('div', { className: 'modal-buttons' });
  for (const [label, className, action] of items) {
    const b = el('button', { type: 'button', className }, label);
    b.addEventListener('click', action);
    row.append(b);
  }
  return row;
}
