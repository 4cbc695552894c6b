import { get } from '../api';
import { bandBadge, errorBox, h } from '../dom';
import { navigate } from '../router';
import type { ChurnRisk } from '../types';

/** At-risk and critical customers, riskiest first, each with the reasons the churn ranking gives. */
export async function riskPage(root: HTMLElement): Promise<void> {
  root.append(h('h1', {}, 'Risk radar'));
  let risk: ChurnRisk;
  try {
    risk = await get<ChurnRisk>('/analytics/churn-risk?limit=100');
  } catch (e) {
    root.append(errorBox(e));
    return;
  }
  const rows = risk.data.filter((c) => c.band === 'at_risk' || c.band === 'critical');
  if (!rows.length) {
    root.append(h('p', { class: 'muted', 'data-testid': 'risk-empty' }, 'No customer is at risk or critical.'));
    return;
  }
  const counts = { critical: rows.filter((r) => r.band === 'critical').length, at_risk: rows.filter((r) => r.band === 'at_risk').length };
  root.append(
    h('p', {}, `${counts.critical} critical, ${counts.at_risk} at risk (ranked by churn risk).`),
    h('div', { class: 'card' },
      h('table', { 'data-testid': 'risk-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Customer'), h('th', {}, 'Band'), h('th', {}, 'Health'), h('th', {}, 'Risk'), h('th', {}, 'Reasons'))),
        h('tbody', {}, rows.map((c) =>
          h('tr', { class: 'link', 'data-customer-id': c.customerId, onclick: () => navigate(`#/customers/${c.customerId}`) },
            h('td', {}, c.name ?? c.email ?? c.customerId, c.name && c.email ? h('div', { class: 'muted' }, c.email) : null),
            h('td', {}, bandBadge(c.band)),
            h('td', {}, String(c.score)),
            h('td', {}, String(c.risk)),
            h('td', {}, h('ul', {}, c.reasons.map((r) => h('li', { 'data-reason': r.code }, r.message)))),
          ),
        )),
      ),
    ),
  );
}
