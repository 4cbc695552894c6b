import type { ScoreWindow } from './health-score-sql';

export const HEALTH_QUEUE = 'health-score';
/** recompute-customers: { tenantId, customerIds }, the customers a batch of events touched (merged while waiting). */
export const HEALTH_JOBS = { customer: 'recompute-customer', customers: 'recompute-customers', tenant: 'recompute-tenant', all: 'recompute-all', summary: 'refresh-summary' } as const;
/** Customers written per statement in a bulk recompute (one progress report each). */
export const RECOMPUTE_CHUNK = 20_000;
export const HISTORY_KEEP_DAYS = 400;
export const DAY_MS = 86_400_000;

export interface RecomputeProgress {
  processed: number;
  total: number;
  percent: number;
  tenants?: number;
  tenantsDone?: number;
}

export interface TenantRecomputeResult {
  tenantId: string;
  customers: number;
  bandChanges: number;
  configVersion: number;
  day: string;
  durationMs: number;
}

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
export const windowOf = (model: { windowDays: number }, asOf: Date): ScoreWindow => ({ since: new Date(asOf.getTime() - model.windowDays * DAY_MS), until: asOf });
