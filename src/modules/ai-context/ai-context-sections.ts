import { fromMinorUnits } from '../../shared/money';
import type { CustomerContextDto } from '../events';
import { eventSummaryOf } from '../events';
import type { CustomerHealthDto } from '../health-score';
import type { LoyaltySummaryDto } from '../loyalty';
import type { CustomerMetricsDto } from '../metrics';
import { formatAddress, maskEmail, maskPhone, maskText } from './pii-mask';
import { ContextSectionDraft, SectionItem } from './token-budget';

/** Section order is rank: what an assistant must not get wrong (who, may we contact them, health) comes first. */
export const SECTION_PRIORITY = {
  customer: 1, preferences: 2, health: 3, openTickets: 4, pinnedNotes: 5, metrics: 6, loyalty: 7, recentEvents: 8, addresses: 9,
} as const;

const TEXT_MAX = 280;
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
// Logins and usage reports are counted by the health score; one by one they only crowd the prompt.
const ROUTINE_EVENTS = new Set(['login', 'usage']);

const day = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString().slice(0, 10) : null);
const clip = (s: string, max = TEXT_MAX): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const money = (minor: number, currency: string): string => `${fromMinorUnits(minor, currency).toFixed(2)} ${currency}`;
const item = (text: string, value: unknown, key?: string): SectionItem => ({ text, value, key });

function section(key: keyof typeof SECTION_PRIORITY, title: string, shape: 'object' | 'list', items: SectionItem[]): ContextSectionDraft {
  return { key, title, priority: SECTION_PRIORITY[key], shape, items };
}

/** Turns the customer context (GET /customers/:id/context) into ranked sections, masking PII unless `pii`. */
export function buildSections(ctx: CustomerContextDto, pii: boolean): ContextSectionDraft[] {
  const text = (s: string, max?: number) => clip(pii ? s : maskText(s), max);
  const c = ctx.customer;
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.companyName || '(no name)';
  const profile: SectionItem[] = [item(`Name: ${name}`, name, 'name'), item(`Id: ${c.id}`, c.id, 'id')];
  if (c.companyName && c.companyName !== name) profile.push(item(`Company: ${c.companyName}`, c.companyName, 'company'));
  profile.push(item(`Type: ${c.type}, status: ${c.status}`, `${c.type}/${c.status}`, 'typeStatus'));
  if (c.email) profile.push(item(`Email: ${pii ? c.email : maskEmail(c.email)}`, pii ? c.email : maskEmail(c.email), 'email'));
  if (c.phone) profile.push(item(`Phone: ${pii ? c.phone : maskPhone(c.phone)}`, pii ? c.phone : maskPhone(c.phone), 'phone'));
  if (c.tags.length) profile.push(item(`Tags: ${c.tags.slice(0, 20).join(', ')}`, c.tags.slice(0, 20), 'tags'));
  profile.push(item(`Customer since ${day(c.createdAt)}${c.lastSeenAt ? `, last seen ${day(c.lastSeenAt)}` : ''}`, { since: day(c.createdAt), lastSeen: day(c.lastSeenAt) }, 'dates'));
  if (c.externalId) profile.push(item(`External id: ${c.externalId}`, c.externalId, 'externalId'));
  const attrs = Object.entries(c.attributes ?? {}).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)).slice(0, 10);
  if (attrs.length) {
    const shown = Object.fromEntries(attrs.map(([k, v]) => [k, typeof v === 'string' ? text(v, 80) : v]));
    profile.push(item(`Attributes: ${Object.entries(shown).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`, shown, 'attributes'));
  }
  return [
    section('customer', 'Customer', 'object', profile),
    section('preferences', 'Contact preferences', 'object', preferenceItems(ctx.preferences)),
    section('health', 'Health', 'object', healthItems(ctx.health as CustomerHealthDto | undefined, text)),
    section('openTickets', 'Open support tickets', 'list', [...ctx.openTickets]
      .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9))
      .map((t) => item(`${t.ticketId} [${t.severity}, ${t.status}] ${text(t.subject, 120)} (opened ${day(t.openedAt)})`,
        { ticketId: t.ticketId, severity: t.severity, status: t.status, subject: text(t.subject, 120), openedAt: day(t.openedAt) }))),
    section('pinnedNotes', 'Pinned notes', 'list', ctx.notes.pinned.map((n) =>
      item(`(${n.type}, ${day(n.createdAt)}) ${text(n.body)}`, { type: n.type, body: text(n.body), createdAt: day(n.createdAt) }))),
    section('metrics', 'Key metrics', 'object', metricItems(ctx.metrics as CustomerMetricsDto | undefined)),
    section('loyalty', 'Loyalty', 'object', loyaltyItems(ctx.loyalty as LoyaltySummaryDto | undefined)),
    section('recentEvents', 'Recent notable events', 'list', ctx.recentEvents.filter((e) => !ROUTINE_EVENTS.has(e.type)).map((e) =>
      item(`${day(e.occurredAt)} ${e.type}: ${text(eventSummaryOf(e), 160)}`, { at: day(e.occurredAt), type: e.type, summary: text(eventSummaryOf(e), 160) }))),
    section('addresses', 'Addresses', 'list', ctx.addresses.map((a) => item(formatAddress(a, !pii), formatAddress(a, !pii)))),
  ].filter((s) => s.items.length > 0);
}

function preferenceItems(p: Record<string, unknown> | null): SectionItem[] {
  const prefs = p as { doNotContact?: boolean; effectiveChannels?: Record<string, boolean>; preferredChannel?: string | null;
    marketingConsent?: { granted?: boolean }; language?: string | null; timezone?: string | null; quietHours?: { start: string; end: string } | null } | null;
  if (!prefs) return [item('No preferences stored: email only, no marketing consent', 'defaults', 'note')];
  const out: SectionItem[] = [];
  if (prefs.doNotContact) out.push(item('DO NOT CONTACT this customer on any channel (doNotContact is set).', true, 'doNotContact'));
  else {
    const channels = Object.entries(prefs.effectiveChannels ?? {}).filter(([, on]) => on).map(([ch]) => ch);
    out.push(item('doNotContact: no', false, 'doNotContact'));
    out.push(item(`May be contacted by: ${channels.join(', ') || 'no channel'}${prefs.preferredChannel ? ` (prefers ${prefs.preferredChannel})` : ''}`, channels, 'allowedChannels'));
  }
  out.push(item(`Marketing consent: ${prefs.marketingConsent?.granted ? 'granted' : 'not granted'}`, !!prefs.marketingConsent?.granted, 'marketingConsent'));
  if (prefs.language || prefs.timezone) out.push(item(`Language ${prefs.language ?? '?'}, timezone ${prefs.timezone ?? '?'}`, { language: prefs.language, timezone: prefs.timezone }, 'locale'));
  if (prefs.quietHours) out.push(item(`Quiet hours ${prefs.quietHours.start}-${prefs.quietHours.end}`, prefs.quietHours, 'quietHours'));
  return out;
}

/** Score and band first, then the reasons: the weakest component explains the score best, so it leads. */
function healthItems(h: CustomerHealthDto | undefined, text: (s: string, max?: number) => string): SectionItem[] {
  if (!h) return [];
  const c = h.components;
  const trend = h.change7d === null ? '' : `, ${h.change7d >= 0 ? '+' : ''}${h.change7d} in 7 days`;
  const reasons = [
    { score: c.usage.score, text: `usage ${Math.round(c.usage.score)}/100: ${c.usage.apiCalls} API calls in ${h.windowDays} days (target ${c.usage.target})` },
    { score: c.engagement.score, text: `engagement ${Math.round(c.engagement.score)}/100: ${c.engagement.logins} logins in ${h.windowDays} days (target ${c.engagement.target})` },
    {
      score: c.incidents.score,
      text: `incidents ${Math.round(c.incidents.score)}/100: ${c.incidents.ticketCount} ticket(s), penalty ${c.incidents.penalty}` +
        (c.incidents.tickets.length ? ` (${c.incidents.tickets.slice(0, 3).map((t) => `${t.ticketId} ${t.severity}: ${text(t.subject, 60)}`).join('; ')})` : ''),
    },
  ].sort((a, b) => a.score - b.score);
  return [
    item(`Score ${h.score}/100, band ${h.band}${trend}`, { score: h.score, band: h.band, change7d: h.change7d }, 'score'),
    item(`Reasons: ${reasons.map((r) => r.text).join('; ')}`, reasons.map((r) => r.text), 'reasons'),
  ];
}

function metricItems(m: CustomerMetricsDto | undefined): SectionItem[] {
  if (!m) return [];
  const out = [item(`Spent ${money(m.totalSpentMinor, m.currency)} over ${m.orderCount} order(s), average ${money(m.averageOrderValueMinor, m.currency)}`,
    { totalSpent: fromMinorUnits(m.totalSpentMinor, m.currency), orders: m.orderCount, averageOrder: fromMinorUnits(m.averageOrderValueMinor, m.currency), currency: m.currency }, 'spend')];
  if (m.lastPurchaseAt) out.push(item(`Last purchase ${day(m.lastPurchaseAt)} (${m.daysSinceLastPurchase} days ago), frequency ${m.frequencyBand ?? 'none'}`,
    { lastPurchaseAt: day(m.lastPurchaseAt), daysSince: m.daysSinceLastPurchase, frequencyBand: m.frequencyBand }, 'recency'));
  out.push(item(`Predicted 12-month value ${money(m.clv.predicted12mMinor, m.currency)}`, fromMinorUnits(m.clv.predicted12mMinor, m.currency), 'predictedClv12m'));
  if (m.refundedMinor > 0) out.push(item(`Refunded ${money(m.refundedMinor, m.currency)}`, fromMinorUnits(m.refundedMinor, m.currency), 'refunded'));
  return out;
}

function loyaltyItems(l: LoyaltySummaryDto | undefined): SectionItem[] {
  if (!l) return [];
  if (!l.programEnabled) return [item('No loyalty program for this tenant', false, 'programEnabled')];
  const out = [item(`Tier ${l.tier}, ${l.balance} points${l.nextTier ? `; ${l.pointsToNextTier} to ${l.nextTier}` : ''}`,
    { tier: l.tier, balance: l.balance, nextTier: l.nextTier, pointsToNextTier: l.pointsToNextTier }, 'tier')];
  const expiring = l.expiringSoon.reduce((a, e) => a + e.points, 0);
  if (expiring > 0) out.push(item(`${expiring} points expire within 30 days`, expiring, 'expiringSoon'));
  if (l.pendingDowngrade) out.push(item(`Tier drops on ${day(l.pendingDowngrade.at)} unless points recover`, day(l.pendingDowngrade.at), 'pendingDowngrade'));
  return out;
}
