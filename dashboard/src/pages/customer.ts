import { ApiError, get, post } from '../api';
import { errorBox, fill, h } from '../dom';
import { live } from '../live';
import type { Cleanup } from '../router';
import type { Customer, Health, Loyalty, Metrics, Note, Page, TimelineItem } from '../types';
import { healthSection, loyaltySection, metricsSection, noteItem, profileSection, section, timelineItem } from './customer-sections';

/** A missing score or metrics row is normal for a new customer: show the section empty, not an error. */
const orNull = <T>(p: Promise<T>): Promise<T | null> =>
  p.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

/** Customer 360: profile, health, purchases, loyalty, notes (with add) and a timeline that grows live. */
export async function customerPage(root: HTMLElement, p: Record<string, string>): Promise<Cleanup | void> {
  const id = p.id;
  const base = `/customers/${encodeURIComponent(id)}`;
  let customer: Customer;
  try {
    customer = await get<Customer>(base);
  } catch (e) {
    root.append(h('h1', {}, 'Customer'), errorBox(e));
    return;
  }
  const [health, metrics, loyalty, notes, timeline] = await Promise.all([
    orNull(get<Health>(`${base}/health`)), orNull(get<Metrics>(`${base}/metrics`)), orNull(get<Loyalty>(`${base}/loyalty`)),
    get<Page<Note>>(`${base}/notes?limit=50`).catch(() => null), get<Page<TimelineItem>>(`${base}/timeline?limit=30`).catch(() => null),
  ]).catch((e: unknown) => {
    root.append(errorBox(e));
    return [null, null, null, null, null] as const;
  });

  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.companyName || customer.email || customer.id;
  const noteList = h('ul', { class: 'feed', 'data-testid': 'note-list' }, (notes?.data ?? []).map(noteItem));
  const body = h('textarea', { name: 'body', rows: 3, cols: 40, required: true, maxlength: 10000, placeholder: 'Add a note…', 'data-testid': 'note-body' });
  const type = h('select', { name: 'type', 'data-testid': 'note-type' }, ['observation', 'personal', 'preference', 'issue', 'feedback'].map((t) => h('option', { value: t }, t)));
  const noteError = h('p', { class: 'error', role: 'alert', hidden: true, 'data-testid': 'note-error' });
  const add = h('button', { type: 'submit', class: 'primary', 'data-testid': 'note-submit' }, 'Add note');
  const form = h('form', { class: 'inline' }, body, type, add);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    add.disabled = true;
    noteError.hidden = true;
    post<Note>(`${base}/notes`, { body: body.value, type: type.value })
      .then((n) => {
        noteList.prepend(noteItem(n));
        body.value = '';
        void refreshTimeline();
      })
      .catch((e: unknown) => {
        noteError.textContent = `The note was not saved: ${(e as Error).message}`;
        noteError.hidden = false;
      })
      .finally(() => {
        add.disabled = false;
      });
  });

  const timelineList = h('ul', { class: 'feed', 'data-testid': 'timeline' }, (timeline?.data ?? []).map((t) => timelineItem(t)));
  const shown = new Set((timeline?.data ?? []).map((t) => t.id));
  const refreshTimeline = async () => {
    const page = await get<Page<TimelineItem>>(`${base}/timeline?limit=30`).catch(() => null);
    if (!page) return;
    // Items already on screen stay; new ones are added at the top, highlighted.
    for (const t of [...page.data].reverse()) {
      if (shown.has(t.id)) continue;
      shown.add(t.id);
      timelineList.prepend(timelineItem(t, true));
    }
  };
  const healthBox = h('div', {}, healthSection(health));
  const stop = live.subscribe((e) => {
    if (e.customerId !== id) return;
    void refreshTimeline();
    // The score follows activity after a recompute: fetch it again a little later.
    window.setTimeout(() => void orNull(get<Health>(`${base}/health`)).then((x) => fill(healthBox, healthSection(x)), () => undefined), 1500);
  });

  root.append(
    h('h1', { 'data-testid': 'customer-name' }, name),
    h('p', {}, h('a', { href: `#/activity?customerId=${id}` }, 'Usage and logins of this customer →')),
    h('section', { class: 'grid two' },
      profileSection(customer), healthBox, metricsSection(metrics), loyaltySection(loyalty),
      section('Notes', 'section-notes', form, noteError, noteList),
      section('Timeline (live)', 'section-timeline', timelineList),
    ),
  );
  return stop;
}
