import { bandBadge, fmtInt, fmtMinor, fmtNum, fmtTime, h } from '../dom';
import type { Customer, Health, Loyalty, Metrics, Note, TimelineItem } from '../types';

const kv = (pairs: Array<[string, Node | string | null | undefined]>) =>
  h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '–')]));

export const section = (title: string, testid: string, ...body: Array<Node | null>) => h('div', { class: 'card', 'data-testid': testid }, h('h2', {}, title), ...body);

export function profileSection(c: Customer): HTMLElement {
  return section('Profile', 'section-profile', kv([
    ['Email', c.email], ['Phone', c.phone], ['Company', c.companyName], ['Type', c.type], ['Status', c.status],
    ['Tags', c.tags.length ? h('span', {}, c.tags.map((t) => h('span', { class: 'tag' }, t))) : null],
    ['External id', c.externalId], ['Customer since', fmtTime(c.createdAt)], ['Last seen', fmtTime(c.lastSeenAt)],
  ]));
}

export function healthSection(hs: Health | null): HTMLElement {
  if (!hs) return section('Health', 'section-health', h('p', { class: 'muted' }, 'No score yet (computed after the first activity or the next recompute).'));
  const c = hs.components;
  const change = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${v}`);
  return section('Health', 'section-health',
    h('p', {}, h('span', { class: 'value', 'data-testid': 'health-score' }, String(hs.score)), ' ', bandBadge(hs.band), h('span', { class: 'muted' }, ` 7 d ${change(hs.change7d)}, 30 d ${change(hs.change30d)}`)),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Component'), h('th', {}, 'Score'), h('th', {}, 'Weight'), h('th', {}, 'Input'))),
      h('tbody', {},
        h('tr', {}, h('td', {}, 'Usage'), h('td', {}, fmtNum(c.usage.score)), h('td', {}, String(c.usage.weight)), h('td', {}, `${fmtInt(c.usage.apiCalls)} / ${fmtInt(c.usage.target)} API calls`)),
        h('tr', {}, h('td', {}, 'Engagement'), h('td', {}, fmtNum(c.engagement.score)), h('td', {}, String(c.engagement.weight)), h('td', {}, `${c.engagement.logins} / ${c.engagement.target} logins`)),
        h('tr', {}, h('td', {}, 'Incidents'), h('td', {}, fmtNum(c.incidents.score)), h('td', {}, String(c.incidents.weight)), h('td', {}, `${c.incidents.ticketCount} tickets, −${c.incidents.penalty}`)),
      ),
    ),
  );
}

export function metricsSection(m: Metrics | null): HTMLElement {
  if (!m) return section('Purchases', 'section-metrics', h('p', { class: 'muted' }, 'No purchase metrics yet.'));
  return section('Purchases', 'section-metrics', kv([
    ['Orders', fmtInt(m.orderCount)], ['Total spent', fmtMinor(m.totalSpentMinor, m.currency)], ['Average order', fmtMinor(m.averageOrderValueMinor, m.currency)],
    ['Last purchase', fmtTime(m.lastPurchaseAt)], ['Frequency', m.frequencyBand ?? '–'], ['Repeat customer', m.isRepeat ? 'yes' : 'no'],
    ['Predicted CLV (12 months)', fmtMinor(m.clv?.predicted12mMinor, m.currency)],
  ]));
}

export function loyaltySection(l: Loyalty | null): HTMLElement {
  if (!l || !l.programEnabled) return section('Loyalty', 'section-loyalty', h('p', { class: 'muted' }, 'No loyalty program for this tenant.'));
  return section('Loyalty', 'section-loyalty', kv([
    ['Tier', l.tier], ['Points', fmtInt(l.balance)], ['Earned in total', fmtInt(l.lifetimeEarned)],
    ['Next tier', l.nextTier ? `${l.nextTier} (${fmtInt(l.pointsToNextTier)} points to go)` : null],
  ]));
}

export function noteItem(n: Note): HTMLElement {
  return h('li', { 'data-note-id': n.id }, n.pinned ? '📌 ' : null, h('span', { class: 'tag' }, n.type), ' ', n.body, h('div', { class: 'muted' }, fmtTime(n.createdAt)));
}

export function timelineItem(t: TimelineItem, fresh = false): HTMLElement {
  return h('li', { class: fresh ? 'fresh' : null, 'data-kind': t.kind, 'data-type': t.type, 'data-id': t.id }, h('strong', {}, t.type), ' ', t.summary, h('div', { class: 'muted' }, fmtTime(t.at)));
}
