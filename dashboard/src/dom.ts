/** A tiny element builder: h('div', { class: 'card', 'data-testid': 'x' }, 'text', child). */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Array<Child | Child[]>): void {
  el.replaceChildren();
  append(el, children);
}

export const fmtInt = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
export const fmtNum = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
export const fmtMoney = (v: number | null | undefined, currency: string): string =>
  v === null || v === undefined ? '–' : v.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
/** Minor units (cents) to a money string. */
export const fmtMinor = (v: number | null | undefined, currency: string): string => (v === null || v === undefined ? '–' : fmtMoney(v / 100, currency));
export const fmtTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '–');

export function bandBadge(band: string | null | undefined): HTMLElement {
  return h('span', { class: `band ${band ?? ''}` }, band ? band.replace('_', ' ') : 'no score');
}

export function card(label: string, value: string, testid: string): HTMLElement {
  return h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value', 'data-testid': testid }, value));
}

export function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e));
}
