import { h } from '../dom';
import { live } from '../live';
import type { LiveEvent } from '../types';

/** A list that grows at the top as events arrive on the live stream (optionally one customer's only). */
export function liveFeed(opts: { customerId?: string; onEvent?: (e: LiveEvent) => void; max?: number } = {}): { el: HTMLElement; stop: () => void } {
  const list = h('ul', { class: 'feed', 'data-testid': 'live-feed' });
  const empty = h('p', { class: 'muted', 'data-testid': 'live-feed-empty' }, 'Waiting for events…');
  const stop = live.subscribe((e) => {
    if (opts.customerId && e.customerId !== opts.customerId) return;
    empty.remove();
    const who = opts.customerId ? null : h('a', { href: `#/customers/${e.customerId}` }, 'customer');
    list.prepend(h('li', { class: 'fresh', 'data-event-id': e.eventId, 'data-type': e.type }, h('strong', {}, e.type), ' ', who, ' ', h('span', { class: 'muted' }, new Date(e.occurredAt).toISOString().replace('T', ' ').slice(0, 19), ' UTC')));
    while (list.children.length > (opts.max ?? 50)) list.lastElementChild?.remove();
    opts.onEvent?.(e);
  });
  return { el: h('div', {}, empty, list), stop };
}
