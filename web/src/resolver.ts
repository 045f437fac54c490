// The intent resolver: which handler should take an intent.
import type { Candidate } from './bus';
import { el, openDialog } from './dialog';

export function chooseHandler(intent: string, candidates: Candidate[]): Promise<Candidate | null> {
  return new Promise((resolve) => {
    let chosen: Candidate | null = null;
    const d = openDialog(`Open “${intent}” with…`, 'resolver', () => resolve(chosen));
    d.box.setAttribute('aria-label', `Choose where to ${intent}`);
    const done = (c: Candidate | null) => {
      chosen = c;
      d.close();
    };
    const list = el('div', { className: 'resolver-list' });
    for (const c of candidates) {
      const b = el(
        'button',
        { type: 'button', className: 'resolver-choice', dataset: { appId: c.appId, instanceId: c.instanceId ?? '', intent: c.intent ?? '' } },
        c.instanceId ? `${c.title} — open panel ${c.instanceId}` : `${c.title} — new panel`,
      );
      b.addEventListener('click', () => done(c));
      list.append(b);
    }
    const cancel = el('button', { type: 'button', className: 'resolver-cancel' }, 'Cancel');
    cancel.addEventListener('click', () => done(null));
    d.box.append(list, cancel);
    (list.querySelector('button') as HTMLButtonElement | null)?.focus();
  });
}
