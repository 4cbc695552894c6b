import { randomUUID } from 'crypto';
import type { ActivityEnvelope } from './activity-ingest.service';

const DAY_MS = 86_400_000;

/** A small seeded PRNG (mulberry32) so a pulse with a seed is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Profile {
  name: string;
  share: number;
  apiCallsPerDay: number;
  loginChance: number;
  ticketChance: number;
}

/** Customer behaviours in a pulse: most customers healthy, some at risk, a few in trouble. */
export const PROFILES: Profile[] = [
  { name: 'thriving', share: 0.45, apiCallsPerDay: 220, loginChance: 0.95, ticketChance: 0.01 },
  { name: 'steady', share: 0.35, apiCallsPerDay: 110, loginChance: 0.5, ticketChance: 0.04 },
  { name: 'struggling', share: 0.2, apiCallsPerDay: 20, loginChance: 0.12, ticketChance: 0.1 },
];
const SEVERITIES: Array<[string, number]> = [['low', 0.4], ['medium', 0.3], ['high', 0.2], ['critical', 0.1]];

function pick<T>(rng: () => number, items: Array<[T, number]>): T {
  let r = rng();
  for (const [item, weight] of items) {
    if ((r -= weight) < 0) return item;
  }
  return items[items.length - 1][0];
}

/**
 * Usage, login and ticket envelopes for one customer over the last `days` days (today included, never after `now`).
 * Each customer keeps one profile for the whole pulse.
 */
export function pulseEnvelopes(customerId: string, days: number, rng: () => number, now: Date): ActivityEnvelope[] {
  const profile = pick(rng, PROFILES.map((p) => [p, p.share] as [Profile, number]));
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: ActivityEnvelope[] = [];
  const envelope = (type: ActivityEnvelope['type'], at: number, data: ActivityEnvelope['data']): ActivityEnvelope => ({
    id: randomUUID(), type, customerId, occurredAt: new Date(at).toISOString(), source: 'simulation', data,
  });
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = todayStart - d * DAY_MS;
    const span = d === 0 ? Math.max(1, now.getTime() - dayStart) : DAY_MS;
    const at = () => dayStart + Math.floor(rng() * span);
    const apiCalls = Math.round(profile.apiCallsPerDay * (0.5 + rng()));
    if (apiCalls > 0) out.push(envelope('usage', at(), { apiCalls, period: new Date(dayStart).toISOString().slice(0, 10) }));
    if (rng() < profile.loginChance) out.push(envelope('login', at(), {}));
    if (rng() < profile.ticketChance) {
      const severity = pick(rng, SEVERITIES);
      out.push(envelope('support_ticket', at(), { ticketId: `sim-${randomUUID()}`, subject: `Simulated ${severity} issue`, severity, status: 'open' }));
    }
  }
  return out;
}
