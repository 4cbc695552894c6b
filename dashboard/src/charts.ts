import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, ChartConfiguration, DoughnutController, Filler, Legend,
  LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { h } from './dom';

// Only what the pages draw, so the bundle stays small.
Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export const BAND_COLOURS = { healthy: '#2e9d5b', at_risk: '#e0a106', critical: '#d64545' };

/** A canvas in a sized box with its chart; destroy() it when the page goes away. */
export function chartBox(testid: string, config: ChartConfiguration): { el: HTMLElement; chart: Chart } {
  const canvas = h('canvas', { 'data-testid': testid });
  const el = h('div', { class: 'chart' }, canvas);
  const chart = new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
  return { el, chart };
}
