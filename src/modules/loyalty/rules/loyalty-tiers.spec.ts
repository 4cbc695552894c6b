import { evaluateTier, lifetimeSeries, rollingSeries, TierState, tierFor } from './loyalty-tiers';
import { TierDef } from './loyalty-program.rules';

const at = (s: string) => new Date(s);
const tiers: TierDef[] = [
  { name: 'bronze', threshold: 0 },
  { name: 'silver', threshold: 100 },
  { name: 'gold', threshold: 500 },
  { name: 'platinum', threshold: 1000 },
];
const rules = (downgradeGraceDays: number) => ({ tiers, downgradeGraceDays });
const state = (tier: TierState['tier'], belowSince: string | null = null): TierState => ({ tier, belowSince: belowSince ? at(belowSince) : null });

describe('tierFor', () => {
  it('reaches a tier at exactly its threshold, and the first tier below zero', () => {
    expect(tierFor(tiers, 99).name).toBe('bronze');
    expect(tierFor(tiers, 100).name).toBe('silver');
    expect(tierFor(tiers, 1000).name).toBe('platinum');
    expect(tierFor(tiers, -5).name).toBe('bronze');
  });
});

describe('lifetime tiers', () => {
  const t0 = at('2026-01-10T09:00:00Z');

  it('upgrades at once, skipping tiers, when an earn reaches a threshold', () => {
    const r = evaluateTier(rules(30), state('bronze'), lifetimeSeries(600, [{ points: 600, at: t0 }]), at('2026-01-01T00:00:00Z'), t0);
    expect(r.state).toEqual({ tier: 'gold', belowSince: null });
    expect(r.changes).toEqual([{ from: 'bronze', to: 'gold', at: t0, qualifyingPoints: 600, reason: 'upgrade' }]);
    expect(r.nextCheckAt).toBeNull();
  });

  it('starts a grace period when a reversal drops below the threshold, keeping the tier', () => {
    const r = evaluateTier(rules(30), state('gold'), lifetimeSeries(450, [{ points: -150, at: t0 }]), at('2026-01-01T00:00:00Z'), t0);
    expect(r.state).toEqual({ tier: 'gold', belowSince: t0 });
    expect(r.changes).toEqual([]);
    expect(r.nextCheckAt).toEqual(at('2026-02-09T09:00:00Z'));
  });

  it('downgrades at the exact end of the grace period, even when evaluated days later', () => {
    const r = evaluateTier(rules(30), state('gold', '2026-01-10T09:00:00Z'), lifetimeSeries(450, []), t0, at('2026-02-15T00:00:00Z'));
    expect(r.changes).toEqual([{ from: 'gold', to: 'silver', at: at('2026-02-09T09:00:00Z'), qualifyingPoints: 450, reason: 'downgrade' }]);
    expect(r.state).toEqual({ tier: 'silver', belowSince: null });
  });

  it('does not downgrade one millisecond before the grace period ends', () => {
    const r = evaluateTier(rules(30), state('gold', '2026-01-10T09:00:00Z'), lifetimeSeries(450, []), t0, at('2026-02-09T08:59:59.999Z'));
    expect(r.changes).toEqual([]);
    expect(r.state.tier).toBe('gold');
  });

  it('cancels a pending downgrade when points recover within the grace period', () => {
    const earnAt = at('2026-01-20T00:00:00Z');
    const r = evaluateTier(rules(30), state('gold', '2026-01-10T09:00:00Z'), lifetimeSeries(520, [{ points: 70, at: earnAt }]), t0, earnAt);
    expect(r.state).toEqual({ tier: 'gold', belowSince: null });
    expect(r.changes).toEqual([]);
  });

  it('downgrades at the deadline first when the recovering earn comes after it, then upgrades again', () => {
    const earnAt = at('2026-03-01T00:00:00Z');
    const r = evaluateTier(rules(30), state('gold', '2026-01-10T09:00:00Z'), lifetimeSeries(520, [{ points: 70, at: earnAt }]), t0, earnAt);
    expect(r.changes.map((c) => [c.reason, c.to, c.at.toISOString()])).toEqual([
      ['downgrade', 'silver', '2026-02-09T09:00:00.000Z'],
      ['upgrade', 'gold', '2026-03-01T00:00:00.000Z'],
    ]);
  });

  it('downgrades immediately without a grace period, to the tier the points reach', () => {
    const r = evaluateTier(rules(0), state('platinum'), lifetimeSeries(50, [{ points: -1000, at: t0 }]), at('2026-01-01T00:00:00Z'), t0);
    expect(r.changes).toEqual([{ from: 'platinum', to: 'bronze', at: t0, qualifyingPoints: 50, reason: 'downgrade' }]);
  });

  it('moves a member whose tier the program dropped, without grace', () => {
    const r = evaluateTier({ tiers: [tiers[0], tiers[2]], downgradeGraceDays: 30 }, state('silver'), lifetimeSeries(200, []), t0, t0);
    expect(r.changes).toEqual([{ from: 'silver', to: 'bronze', at: t0, qualifyingPoints: 200, reason: 'program_change' }]);
  });
});

describe('rolling 12-month tiers', () => {
  const earned = at('2025-03-15T12:00:00Z');
  const rows = [{ points: 600, at: earned }];

  it('counts points until exactly 12 calendar months after they were earned', () => {
    const s = rollingSeries(rows);
    expect(s.at(at('2026-03-15T11:59:59.999Z'))).toBe(600);
    expect(s.at(at('2026-03-15T12:00:00.000Z'))).toBe(0);
    expect(s.at(at('2025-03-15T11:59:59.999Z'))).toBe(0);
  });

  it('starts the grace period at the window boundary, not when the sweep notices', () => {
    const r = evaluateTier(rules(10), state('gold'), rollingSeries(rows), earned, at('2026-03-20T00:00:00Z'));
    expect(r.state).toEqual({ tier: 'gold', belowSince: at('2026-03-15T12:00:00Z') });
    expect(r.nextCheckAt).toEqual(at('2026-03-25T12:00:00Z'));
    const later = evaluateTier(rules(10), r.state, rollingSeries(rows), at('2026-03-20T00:00:00Z'), at('2026-04-02T00:00:00Z'));
    expect(later.changes).toEqual([{ from: 'gold', to: 'bronze', at: at('2026-03-25T12:00:00Z'), qualifyingPoints: 0, reason: 'downgrade' }]);
  });

  it('tells the sweep when the points will first fall below the tier', () => {
    const two = [...rows, { points: 100, at: at('2025-09-01T00:00:00Z') }];
    const r = evaluateTier(rules(0), state('gold'), rollingSeries(two), at('2025-09-01T00:00:00Z'), at('2025-09-01T00:00:00Z'));
    expect(r.changes).toEqual([]);
    expect(r.nextCheckAt).toEqual(at('2026-03-15T12:00:00Z'));
  });

  it('lets points earned on a leap day count until the same time on 28 February', () => {
    const leap = [{ points: 150, at: at('2024-02-29T10:00:00Z') }];
    const s = rollingSeries(leap);
    expect(s.at(at('2025-02-28T09:59:59.999Z'))).toBe(150);
    expect(s.at(at('2025-02-28T10:00:00.000Z'))).toBe(0);
    const r = evaluateTier(rules(0), state('silver'), s, at('2024-02-29T10:00:00Z'), at('2025-03-01T00:00:00Z'));
    expect(r.changes).toEqual([{ from: 'silver', to: 'bronze', at: at('2025-02-28T10:00:00Z'), qualifyingPoints: 0, reason: 'downgrade' }]);
  });
});
