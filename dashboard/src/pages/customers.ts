import { get, query } from '../api';
import { errorBox, fill, fmtTime, h } from '../dom';
import { navigate } from '../router';
import type { Customer, Page } from '../types';

const nameOf = (c: Customer) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.companyName || c.email || c.id;

function select(name: string, label: string, options: string[], value: string | null): HTMLSelectElement {
  return h('select', { name, 'aria-label': label, 'data-testid': `filter-${name}` },
    h('option', { value: '' }, `Any ${label.toLowerCase()}`),
    options.map((o) => h('option', { value: o, selected: o === value }, o.replace('_', ' '))));
}

/** Search and filters live in the URL (#/customers?q=...&band=...), so a filtered list can be bookmarked. */
export async function customersPage(root: HTMLElement, _p: Record<string, string>, q: URLSearchParams): Promise<void> {
  const search = h('input', { type: 'search', name: 'q', placeholder: 'Name, email, phone, company…', value: q.get('q') ?? '', 'data-testid': 'customer-search' });
  const status = select('status', 'Status', ['active', 'inactive', 'blocked'], q.get('status'));
  const band = select('band', 'Band', ['healthy', 'at_risk', 'critical'], q.get('band'));
  const type = select('type', 'Type', ['individual', 'business'], q.get('type'));
  const tag = h('input', { type: 'text', name: 'tags', placeholder: 'tag', value: q.get('tags') ?? '', size: 10, 'data-testid': 'filter-tags' });
  const form = h('form', { class: 'inline', role: 'search' }, search, status, band, type, tag, h('button', { type: 'submit', class: 'primary', 'data-testid': 'customer-search-submit' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(`#/customers${query({ q: search.value.trim(), status: status.value, band: band.value, type: type.value, tags: tag.value.trim() })}`);
  });
  const results = h('div', { class: 'card' }, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('h1', {}, 'Customers'), form, results);

  const params = { q: q.get('q'), status: q.get('status'), band: q.get('band'), type: q.get('type'), tags: q.get('tags'), limit: 25, withTotal: true };
  const load = async (cursor?: string): Promise<void> => {
    let page: Page<Customer>;
    try {
      page = await get<Page<Customer>>(`/customers${query({ ...params, cursor })}`);
    } catch (e) {
      fill(results, errorBox(e));
      return;
    }
    const rows = page.data.map((c) =>
      h('tr', { class: 'link', 'data-customer-id': c.id, onclick: () => navigate(`#/customers/${c.id}`) },
        h('td', {}, h('a', { href: `#/customers/${c.id}` }, nameOf(c))), h('td', {}, c.email ?? '–'), h('td', {}, c.status),
        h('td', {}, c.tags.map((t) => h('span', { class: 'tag' }, t))), h('td', {}, fmtTime(c.lastSeenAt))));
    fill(results,
      h('p', { class: 'muted', 'data-testid': 'customer-count' }, page.page.total !== undefined ? `${page.page.total} customers` : ''),
      page.data.length
        ? h('table', { 'data-testid': 'customer-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Email'), h('th', {}, 'Status'), h('th', {}, 'Tags'), h('th', {}, 'Last seen'))),
          h('tbody', {}, rows))
        : h('p', { 'data-testid': 'customer-none' }, 'No customer matches.'),
      page.page.nextCursor ? h('div', { class: 'pager' }, h('button', { type: 'button', onclick: () => void load(page.page.nextCursor!) }, 'Next page')) : null,
    );
  };
  await load();
}
