import type { HealthBand } from './health-score.model';

/** In-process domain events (@nestjs/event-emitter) of the health-score module, emitted after the write. */
export const HEALTH_EVENTS = {
  /** A customer's band changed (not emitted for a first score). */
  bandChanged: 'health.band_changed',
  /** One customer's score was recomputed and differs from before (per-customer recomputes only). */
  scoreChanged: 'health.score_changed',
  /** Every score of a tenant was recomputed. */
  recomputed: 'health.recomputed',
} as const;

export interface HealthBandChangedEvent {
  tenantId: string;
  customerId: string;
  from: HealthBand;
  to: HealthBand;
  previousScore: number;
  score: number;
  configVersion: number;
  at: string;
}

export interface HealthScoreChangedEvent {
  tenantId: string;
  customerId: string;
  previousScore: number | null;
  score: number;
  band: HealthBand;
}

export interface HealthRecomputedEvent {
  tenantId: string;
  customers: number;
  at: string;
}

/** What the events module emits after committing an ingested event; usage, login and support_ticket trigger a recompute. */
export const EVENT_INGESTED = 'event.ingested';
export interface EventIngestedEvent {
  tenantId: string;
  customerId: string;
  type: string;
}
