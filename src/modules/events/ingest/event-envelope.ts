import { ErrorCode, FieldError } from '../../../shared/app-error';
import { EVENT_TYPE_ALIASES, EVENT_TYPES, EventType } from '../entities/customer-event.entity';
import { camelKeys, isoDate, validateEventData } from './event-data';

/** Who the event is about: our customer id, the publisher's reference (externalId), or an email. */
export interface CustomerReference {
  id?: string;
  externalId?: string;
  email?: string;
}

/** A well-formed event, not yet tied to a stored customer. */
export interface EventDraft {
  /** Identity for idempotency; null when the sender gave none (REST without id). */
  key: string | null;
  type: EventType;
  customer: CustomerReference;
  occurredAt: Date;
  source: string | null;
  data: Record<string, unknown>;
}

/** Why an input did not become an event (REST answers it; NATS dead-letters it). */
export interface Rejection {
  code: ErrorCode;
  message: string;
  details: FieldError[];
}

export interface EnvelopeContext {
  /** From the subject customer.events[.tenant].{customerRef}.{eventType}. */
  subjectRef?: string;
  subjectType?: string;
  /**
   * Identity when the envelope has no id: the Nats-Msg-Id header, else `<stream>:<sequence>`. A function is called
   * only then (reading the header means parsing the message's headers).
   */
  fallbackKey?: string | null | (() => string);
  now: Date;
}

const ENVELOPE_KEYS = new Set(['id', 'type', 'customerId', 'email', 'occurredAt', 'source', 'data']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_FUTURE_MS = 24 * 3600 * 1000;

export function isUuid(v: string): boolean {
  return UUID.test(v);
}

export function rejection(code: ErrorCode, message: string, details: FieldError[] = []): Rejection {
  return { code, message, details };
}

function validationRejection(details: FieldError[]): Rejection {
  return rejection(ErrorCode.VALIDATION_FAILED, details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/** Canonical type name for a published one (aliases repair -> work_order, observation -> note); null if unknown. */
export function canonicalType(name: unknown): EventType | null {
  if (typeof name !== 'string') return null;
  const t = name.trim().toLowerCase();
  return (EVENT_TYPES as readonly string[]).includes(t) ? (t as EventType) : (EVENT_TYPE_ALIASES[t] ?? null);
}

/**
 * Validates an envelope {id?, type?, customer_id?, email?, occurred_at?, source?, data} (snake_case or camelCase)
 * and its data for the type. The subject may supply the type and the customer reference.
 */
export function parseEnvelope(raw: unknown, ctx: EnvelopeContext): { draft: EventDraft } | { rejection: Rejection } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { rejection: rejection(ErrorCode.VALIDATION_FAILED, 'The event must be a JSON object', [{ field: 'event', message: 'must be a JSON object' }]) };
  }
  const keys = Object.keys(raw);
  const env = camelKeys(raw) as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (Object.keys(env).length !== keys.length) {
    errors.push({ field: 'event', message: 'has the same field in snake_case and camelCase' });
  }
  for (const k of Object.keys(env)) if (!ENVELOPE_KEYS.has(k)) errors.push({ field: k, message: 'is not an allowed field' });

  let key: string | null = null;
  if (env.id === undefined || env.id === null) key = typeof ctx.fallbackKey === 'function' ? ctx.fallbackKey() : (ctx.fallbackKey ?? null);
  else {
    const id = typeof env.id === 'number' && Number.isSafeInteger(env.id) ? String(env.id) : env.id;
    if (typeof id !== 'string' || !id.trim() || id.length > 200) errors.push({ field: 'id', message: 'must be a string of 1-200 characters' });
    else key = id.trim();
  }

  const envType = env.type === undefined || env.type === null ? undefined : canonicalType(env.type);
  const subjectType = ctx.subjectType === undefined ? undefined : canonicalType(ctx.subjectType);
  if (env.type !== undefined && env.type !== null && !envType) {
    return { rejection: rejection(ErrorCode.VALIDATION_FAILED, `Unknown event type ${JSON.stringify(env.type)}`, [{ field: 'type', message: `must be one of ${EVENT_TYPES.join(', ')} (or repair, observation)` }]) };
  }
  if (ctx.subjectType !== undefined && !subjectType) {
    return { rejection: rejection(ErrorCode.VALIDATION_FAILED, `Unknown event type ${JSON.stringify(ctx.subjectType)} in the subject`, [{ field: 'subject', message: `event type must be one of ${EVENT_TYPES.join(', ')}` }]) };
  }
  if (envType && subjectType && envType !== subjectType) errors.push({ field: 'type', message: `is ${envType} but the subject says ${subjectType}` });
  const type = envType ?? subjectType;
  if (!type) errors.push({ field: 'type', message: 'is required (in the envelope or the subject)' });

  const customer: CustomerReference = {};
  if (env.customerId !== undefined && env.customerId !== null) {
    if (typeof env.customerId !== 'string' || !env.customerId.trim() || env.customerId.length > 200) {
      errors.push({ field: 'customer_id', message: 'must be a string of 1-200 characters' });
    } else if (isUuid(env.customerId.trim())) customer.id = env.customerId.trim().toLowerCase();
    else customer.externalId = env.customerId.trim();
  } else if (ctx.subjectRef) customer.externalId = ctx.subjectRef;

  const dataRaw = env.data === undefined || env.data === null ? {} : env.data;
  const dataEmail = typeof dataRaw === 'object' && dataRaw !== null ? (camelKeys(dataRaw) as Record<string, unknown>).email : undefined;
  const emailRaw = env.email ?? dataEmail;
  if (emailRaw !== undefined && emailRaw !== null) {
    if (typeof emailRaw !== 'string' || emailRaw.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(emailRaw.trim())) {
      errors.push({ field: env.email !== undefined ? 'email' : 'data.email', message: 'must be an email address' });
    } else customer.email = emailRaw.trim().toLowerCase();
  }
  if (!customer.id && !customer.externalId && !customer.email) {
    errors.push({ field: 'customer_id', message: 'is required: a customer_id, a customer reference in the subject, or an email' });
  }

  let occurredAt = ctx.now;
  if (env.occurredAt !== undefined && env.occurredAt !== null) {
    const r = isoDate(env.occurredAt);
    if ('error' in r) errors.push({ field: 'occurred_at', message: r.error });
    else if ((r.value as Date).getTime() > ctx.now.getTime() + MAX_FUTURE_MS) errors.push({ field: 'occurred_at', message: 'is more than one day in the future' });
    else occurredAt = r.value as Date;
  }

  let source: string | null = null;
  if (env.source !== undefined && env.source !== null) {
    if (typeof env.source !== 'string' || !env.source.trim() || env.source.length > 100) errors.push({ field: 'source', message: 'must be a string of 1-100 characters' });
    else source = env.source.trim();
  }

  let data: Record<string, unknown> = {};
  if (type) {
    const r = validateEventData(type, dataRaw);
    if ('errors' in r) errors.push(...r.errors);
    else data = r.value;
  }
  if (errors.length) return { rejection: validationRejection(errors) };
  return { draft: { key, type: type!, customer, occurredAt, source, data } };
}
