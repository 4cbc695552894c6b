/** What the lot rules need of a lot of earned points. */
export interface LotView {
  id: string;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date | null;
}

export interface LotAllocation {
  lotId: string;
  points: number;
}

/** A lot is expired from its expiresAt on: points expiring at 12:00:00 cannot be redeemed at 12:00:00. */
export function isExpired(lot: Pick<LotView, 'expiresAt'>, now: Date): boolean {
  return lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();
}

const fifo = (a: LotView, b: LotView): number => a.earnedAt.getTime() - b.earnedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Lots whose remaining points must expire by `now`, in the order they expired. */
export function dueForExpiry<L extends LotView>(lots: L[], now: Date): L[] {
  return lots
    .filter((l) => l.remaining > 0 && isExpired(l, now))
    .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime() || fifo(a, b));
}

/**
 * Takes `points` from unexpired lots, oldest earned first (FIFO); `preferLotId` (the lot of a refunded order) is
 * taken from first. `shortfall` is what the lots could not cover.
 */
export function allocate(lots: LotView[], points: number, now: Date, preferLotId?: string): { allocations: LotAllocation[]; shortfall: number } {
  const usable = lots.filter((l) => l.remaining > 0 && !isExpired(l, now)).sort(fifo);
  const preferred = usable.findIndex((l) => l.id === preferLotId);
  if (preferred > 0) usable.unshift(...usable.splice(preferred, 1));
  const allocations: LotAllocation[] = [];
  let left = points;
  for (const lot of usable) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return { allocations, shortfall: Math.max(0, left) };
}

/** Unexpired points that expire within (now, until], summed per expiry instant, soonest first. */
export function expiringBetween(lots: LotView[], now: Date, until: Date): Array<{ points: number; expiresAt: Date }> {
  const byInstant = new Map<number, number>();
  for (const l of lots) {
    if (l.remaining <= 0 || l.expiresAt === null || isExpired(l, now) || l.expiresAt.getTime() > until.getTime()) continue;
    byInstant.set(l.expiresAt.getTime(), (byInstant.get(l.expiresAt.getTime()) ?? 0) + l.remaining);
  }
  return [...byInstant.entries()].sort((a, b) => a[0] - b[0]).map(([t, points]) => ({ points, expiresAt: new Date(t) }));
}
