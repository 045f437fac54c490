// The intent resolver: which handler should take an intent.
import type { Candidate } from './bus';

export function chooseHandler(intent: string, candidates: Candidate[]): Promise<Candidate | null> {
  return new Promise((resolve) => {
    const back = document.createElement('div');
    back.className = 'modal-back';
    const dialog = document.createElement('div');
    dialog.className = 'modal resolver';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-label', `Choose where to ${intent}`);
    const h = document.createElement('h3');
    h.textContent = `Open “${intent}” with…`;
    const list = document.createElement('div');
    list.className = 'resolver-list';
    const done = (c: Candidate | null) => {
      back.remove();
      resolve(c);
    };
    for (const c of candidates) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'resolver-choice';
      b.dataset.appId = c.appId;
      b.dataset.instanceId = c.instanceId ?? '';
      b.textContent = c.instanceId ? `${c.title} — open panel ${c.instanceId}` : `${c.title} — new panel`;
      b.addEventListener('click', () => done(c));
      list.append(b);
    }
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'resolver-cancel';
    cancel.textContent = 'Cancel';
    cancel.addEventListener('click', () => done(null));
    dialog.append(h, list, cancel);
    back.append(dialog);
    back.addEventListener('keydown', (e) => e.key === 'Escape' && done(null));
    document.body.append(back);
    (list.querySelector('button') as HTMLButtonElement | null)?.focus();
  });
}
