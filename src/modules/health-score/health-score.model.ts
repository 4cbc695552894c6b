import type { FieldError } from '../../shared/app-error';

/** The health model: pure rules shared by the explain endpoint, the tests and (spelled in SQL) the bulk recompute. */
export const HEALTH_BANDS = ['healthy', 'at_risk', 'critical'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];
export const PENALTY_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type PenaltySeverity = (typeof PENALTY_SEVERITIES)[number];

export interface HealthWeights {
  usage: number;
  engagement: number;
  incidents: number;
}
/** 100 points of usage at `apiCalls` calls in the window, 100 points of engagement at `logins` logins. */
export interface HealthTargets {
  apiCalls: number;
  logins: number;
}
/** Points taken off the incidents component per ticket opened in the window. */
export type HealthPenalties = Record<PenaltySeverity, number>;
/** Lowest score of each band: healthy >= healthy, at_risk >= atRisk, critical below. */
export interface HealthBands {
  healthy: number;
  atRisk: number;
}

export interface HealthModel {
  weights: HealthWeights;
  targets: HealthTargets;
  penalties: HealthPenalties;
  windowDays: number;
  bands: HealthBands;
}

export const DEFAULT_HEALTH_MODEL: HealthModel = {
  weights: { usage: 0.4, engagement: 0.3, incidents: 0.3 },
  targets: { apiCalls: 5000, logins: 30 },
  penalties: { critical: 25, high: 15, medium: 8, low: 3 },
  windowDays: 30,
  bands: { healthy: 70, atRisk: 40 },
};

/**
 * Added before rounding so that a weighted sum meant to be exactly x.5 rounds up whether it was computed in
 * binary floating point (here, SQLite) or exact decimals (Postgres numeric): 0.3 * 65 is 19.499999... in binary.
 */
export const ROUNDING_EPSILON = 1e-9;
export const WEIGHT_SUM_TOLERANCE = 1e-6;
export const MAX_WINDOW_DAYS = 365;

export interface HealthInputs {
  apiCalls: number;
  logins: number;
  /** Sum of the penalties of the tickets opened in the window. */
  ticketPenalty: number;
}

export interface HealthResult {
  score: number;
  band: HealthBand;
  usage: number;
  engagement: number;
  incidents: number;
}

// The operation order below is mirrored exactly by HealthScoreRepository's SQL (same floating-point results).
export const usageScore = (apiCalls: number, target: number): number => Math.min(100, (apiCalls * 100) / target);
export const engagementScore = (logins: number, target: number): number => Math.min(100, (logins * 100) / target);
export const incidentsScore = (penalty: number): number => Math.max(0, 100 - penalty);

export function bandOf(score: number, bands: HealthBands): HealthBand {
  return score >= bands.healthy ? 'healthy' : score >= bands.atRisk ? 'at_risk' : 'critical';
}

export function computeHealth(inputs: HealthInputs, model: HealthModel): HealthResult {
  const usage = usageScore(inputs.apiCalls, model.targets.apiCalls);
  const engagement = engagementScore(inputs.logins, model.targets.logins);
  const incidents = incidentsScore(inputs.ticketPenalty);
  const w = model.weights;
  const score = Math.round(w.usage * usage + w.engagement * engagement + w.incidents * incidents + ROUNDING_EPSILON);
  return { score, band: bandOf(score, model.bands), usage, engagement, incidents };
}

export function ticketPenalty(severities: PenaltySeverity[], penalties: HealthPenalties): number {
  return severities.reduce((sum, s) => sum + (penalties[s] ?? 0), 0);
}

/** Rules class-validator cannot express on its own (the DTO checks types and ranges of each field). */
export function modelErrors(m: HealthModel): FieldError[] {
  const errors: FieldError[] = [];
  const sum = m.weights.usage + m.weights.engagement + m.weights.incidents;
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    errors.push({ field: 'weights', message: `must sum to 1 (usage + engagement + incidents = ${Number(sum.toFixed(6))})` });
  }
  if (m.bands.atRisk >= m.bands.healthy) {
    errors.push({ field: 'bands.atRisk', message: `must be lower than bands.healthy (${m.bands.healthy})` });
  }
  return errors;
}
