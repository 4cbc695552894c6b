import { LoyaltyTier } from '../../../shared/customer-segments';
import { DAY_MS, rollingExitOf } from './loyalty-dates';
import { TierBasis, TierDef } from './loyalty-program.rules';

/** A ledger row's effect on tier qualification (earn +, adjust +/-, reverse -; redeem and expire 0). */
export interface QualifyingRow {
  points: number;
  at: Date;
}

/** Qualifying points over time, between ledger writes. */
export interface QualifyingSeries {
  at(t: Date): number;
  /** Instants in (from, to] where the value can change, ascending. */
  changesIn(from: Date, to: Date): Date[];
}

/**
 * Lifetime basis: the account's total, minus rows written after `t` (`recent` holds the rows since the last
 * evaluation, so a deadline in the past sees the total as it was then).
 */
export function lifetimeSeries(total: number, recent: QualifyingRow[]): QualifyingSeries {
  return {
    at: (t) => total - recent.filter((r) => r.at.getTime() > t.getTime()).reduce((s, r) => s + r.points, 0),
    changesIn: (from, to) => instantsIn(recent.map((r) => r.at), from, to),
  };
}

/** Rolling basis: a row counts from its time until 12 calendar months later (rollingExitOf), exclusive. */
export function rollingSeries(rows: QualifyingRow[]): QualifyingSeries {
  return {
    at: (t) => rows.filter((r) => r.at.getTime() <= t.getTime() && t.getTime() < rollingExitOf(r.at).getTime()).reduce((s, r) => s + r.points, 0),
    changesIn: (from, to) => instantsIn(rows.flatMap((r) => [r.at, rollingExitOf(r.at)]), from, to),
  };
}

export function seriesFor(basis: TierBasis, lifetimeTotal: number, rows: QualifyingRow[], since: Date): QualifyingSeries {
  return basis === 'lifetime' ? lifetimeSeries(lifetimeTotal, rows.filter((r) => r.at.getTime() > since.getTime())) : rollingSeries(rows);
}

function instantsIn(times: Date[], from: Date, to: Date): Date[] {
  const set = new Set(times.map((t) => t.getTime()).filter((t) => t > from.getTime() && t <= to.getTime()));
  return [...set].sort((a, b) => a - b).map((t) => new Date(t));
}

/** The highest tier whose threshold the points reach (the first tier when none, e.g. below 0). */
export function tierFor(tiers: TierDef[], points: number): TierDef {
  let best = tiers[0];
  for (const t of tiers) if (points >= t.threshold) best = t;
  return best;
}

export interface TierState {
  tier: LoyaltyTier;
  /** When qualifying points fell below the current tier's threshold; the downgrade is due graceDays later. */
  belowSince: Date | null;
}

export interface TierChange {
  from: LoyaltyTier;
  to: LoyaltyTier;
  at: Date;
  qualifyingPoints: number;
  reason: 'upgrade' | 'downgrade' | 'program_change';
}

export interface TierEvaluation {
  state: TierState;
  changes: TierChange[];
  /** The next instant the tier may change without a ledger write (null = only a write can change it). */
  nextCheckAt: Date | null;
}

/**
 * Replays time from the last evaluation (`from`) to `now`: upgrades take effect the moment points reach a
 * threshold; a fall below the current threshold starts a grace period and the downgrade happens when it ends
 * (to the tier the points then reach), unless the points recover first. Every change carries the exact instant
 * it took effect, even when this runs later (the sweep or the next write).
 */
export function evaluateTier(rules: { tiers: TierDef[]; downgradeGraceDays: number }, start: TierState, series: QualifyingSeries, from: Date, now: Date): TierEvaluation {
  const graceMs = rules.downgradeGraceDays * DAY_MS;
  const rank = (name: LoyaltyTier) => rules.tiers.findIndex((t) => t.name === name);
  const changes: TierChange[] = [];
  let { tier, belowSince } = start;

  if (rank(tier) < 0) {
    // The program no longer has this tier: move to what the points reach now, without grace.
    const to = tierFor(rules.tiers, series.at(now));
    changes.push({ from: tier, to: to.name, at: now, qualifyingPoints: series.at(now), reason: 'program_change' });
    tier = to.name;
    belowSince = null;
  }

  const step = (t: Date) => {
    const q = series.at(t);
    const target = tierFor(rules.tiers, q);
    const diff = rank(target.name) - rank(tier);
    if (diff > 0) {
      changes.push({ from: tier, to: target.name, at: t, qualifyingPoints: q, reason: 'upgrade' });
      tier = target.name;
      belowSince = null;
    } else if (diff === 0) {
      belowSince = null;
    } else {
      belowSince ??= t;
      if (t.getTime() >= belowSince.getTime() + graceMs) {
        changes.push({ from: tier, to: target.name, at: t, qualifyingPoints: q, reason: 'downgrade' });
        tier = target.name;
        belowSince = null;
      }
    }
  };

  const checkpoints = series.changesIn(from, now).filter((t) => t.getTime() < now.getTime());
  checkpoints.push(now);
  for (let i = 0; i < checkpoints.length; ) {
    const deadline = belowSince ? belowSince.getTime() + graceMs : null;
    if (deadline !== null && deadline < checkpoints[i].getTime()) {
      step(new Date(Math.max(deadline, from.getTime())));
      continue;
    }
    step(checkpoints[i++]);
  }

  return { state: { tier, belowSince }, changes, nextCheckAt: nextCheck(rules.tiers, tier, belowSince, graceMs, series, now) };
}

function nextCheck(tiers: TierDef[], tier: LoyaltyTier, belowSince: Date | null, graceMs: number, series: QualifyingSeries, now: Date): Date | null {
  if (belowSince) return new Date(belowSince.getTime() + graceMs);
  const current = tiers.find((t) => t.name === tier);
  // The lowest tier cannot fall; an upgrade needs a write.
  if (!current || current.threshold <= tiers[0].threshold) return null;
  const horizon = new Date(now.getTime() + 400 * DAY_MS);
  return series.changesIn(now, horizon).find((t) => series.at(t) < current.threshold) ?? null;
}
