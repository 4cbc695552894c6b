import { get, query } from '../api';
import { chartBox } from '../charts';
import { errorBox, fmtInt, h } from '../dom';
import type { Cleanup } from '../router';
import type { LoginHeatmap, Usage } from '../types';

/** The login heatmap as a table: one row per weekday, one cell per UTC hour, shaded by count. */
export function heatmapTable(m: LoginHeatmap): HTMLElement {
  const shade = (v: number) => (m.max ? `rgba(47, 111, 237, ${(0.08 + 0.92 * (v / m.max)).toFixed(3)})` : '#f0f2f6');
  return h('table', { class: 'heatmap', 'data-testid': 'login-heatmap' },
    h('thead', {}, h('tr', {}, h('th'), Array.from({ length: 24 }, (_, hr) => h('th', {}, hr % 3 === 0 ? String(hr) : '')))),
    h('tbody', {}, m.cells.map((row, d) =>
      h('tr', {}, h('th', {}, m.weekdays[d]), row.map((v, hr) =>
        h('td', { title: `${m.weekdays[d]} ${hr}:00–${hr + 1}:00 UTC: ${v} logins`, 'data-count': v, style: `background:${v ? shade(v) : '#f0f2f6'}` }),
      )),
    )),
  );
}

/** Usage over the last 30 days and when customers log in; ?customerId= narrows both to one customer. */
export async function activityPage(root: HTMLElement, _p: Record<string, string>, q: URLSearchParams): Promise<Cleanup | void> {
  const customerId = q.get('customerId') ?? undefined;
  root.append(h('h1', {}, 'Usage & logins', customerId ? h('span', { class: 'muted' }, ' — one customer') : null));
  let usage: Usage;
  let heatmap: LoginHeatmap;
  try {
    const qs = query({ days: 30, customerId });
    [usage, heatmap] = await Promise.all([get<Usage>(`/analytics/usage${qs}`), get<LoginHeatmap>(`/analytics/login-heatmap${qs}`)]);
  } catch (e) {
    root.append(errorBox(e));
    return;
  }
  const chart = chartBox('chart-usage', {
    type: 'bar',
    data: { labels: usage.data.map((d) => d.day.slice(5)), datasets: [{ label: 'API calls', data: usage.data.map((d) => d.apiCalls), backgroundColor: '#2f6fed' }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
  });
  root.append(
    h('section', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'API calls per day (30 days, UTC) — total ', h('span', { 'data-testid': 'usage-total' }, fmtInt(usage.totalApiCalls))), chart.el),
      h('div', { class: 'card' }, h('h2', {}, 'Logins by weekday and hour (30 days, UTC) — total ', h('span', { 'data-testid': 'logins-total' }, fmtInt(heatmap.total))), heatmapTable(heatmap)),
    ),
  );
  return () => chart.chart.destroy();
}
