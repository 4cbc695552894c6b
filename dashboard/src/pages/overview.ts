import { get } from '../api';
import { BAND_COLOURS, chartBox } from '../charts';
import { card, errorBox, fill, fmtInt, fmtMoney, fmtNum, h } from '../dom';
import type { Cleanup } from '../router';
import type { HealthTrends, Overview } from '../types';
import { liveFeed } from './live-feed';

function cards(o: Overview): HTMLElement[] {
  return [
    card('Customers', fmtInt(o.customers), 'card-customers'),
    card('Active (30 d)', fmtInt(o.active30d), 'card-active'),
    card('Average health', fmtNum(o.averageHealth), 'card-health'),
    card('Revenue (30 d)', fmtMoney(o.revenue30d, o.currency), 'card-revenue'),
    card('Open tickets', fmtInt(o.openTickets), 'card-tickets'),
  ];
}

export async function overviewPage(root: HTMLElement): Promise<Cleanup> {
  root.append(h('h1', {}, 'Overview'));
  let overview: Overview;
  let trends: HealthTrends;
  try {
    [overview, trends] = await Promise.all([get<Overview>('/analytics/overview'), get<HealthTrends>('/analytics/health-trends?days=30')]);
  } catch (e) {
    root.append(errorBox(e));
    return () => undefined;
  }
  const cardGrid = h('section', { class: 'grid cards', 'data-testid': 'overview-cards' }, cards(overview));
  const b = overview.bands;
  const bands = chartBox('chart-bands', {
    type: 'doughnut',
    data: { labels: ['Healthy', 'At risk', 'Critical'], datasets: [{ data: [b.healthy, b.at_risk, b.critical], backgroundColor: Object.values(BAND_COLOURS) }] },
    options: { plugins: { legend: { position: 'right' } } },
  });
  const trend = chartBox('chart-health-trend', {
    type: 'line',
    data: {
      labels: trends.data.map((p) => p.day.slice(5)),
      datasets: [{ label: 'Average health', data: trends.data.map((p) => p.averageScore), borderColor: '#2f6fed', backgroundColor: '#2f6fed22', fill: true, spanGaps: true, tension: 0.25 }],
    },
    options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
  });
  // New events change the figures: refresh the cards a few seconds after the last one (not once per event).
  let timer: number | undefined;
  const feed = liveFeed({
    onEvent: () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        get<Overview>('/analytics/overview').then((o) => fill(cardGrid, cards(o)), () => undefined);
      }, 5000);
    },
  });
  root.append(
    cardGrid,
    h('section', { class: 'grid two' },
      h('div', { class: 'card' }, h('h2', {}, 'Health bands'), bands.el),
      h('div', { class: 'card' }, h('h2', {}, 'Average health, last 30 days'), trend.el),
      h('div', { class: 'card' }, h('h2', {}, 'Live events'), feed.el),
    ),
  );
  return () => {
    clearTimeout(timer);
    feed.stop();
    bands.chart.destroy();
    trend.chart.destroy();
  };
}
