import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../../../infra/http/validation';
import { FieldError } from '../../../shared/app-error';
import { UpdateCustomerDto } from '../../customers';
import { NOTE_TYPES } from '../../notes';
import { TICKET_SEVERITIES, TICKET_STATUSES } from '../entities/support-ticket.entity';
import { CONTACT_CHANNELS, CONTACT_DIRECTIONS } from '../entities/contact.entity';
import { EventType } from '../entities/customer-event.entity';
import { ProfileTagsDto } from '../dto/profile-tags.dto';

type Parse = (v: unknown) => { value: unknown } | { error: string };
interface FieldSpec {
  required?: boolean;
  parse: Parse;
}
type Schema = Record<string, FieldSpec>;

const MAX_INT = 2_147_483_647;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const str = (max: number): Parse => (v) =>
  typeof v === 'string' && v.trim().length >= 1 && v.length <= max ? { value: v.trim() } : { error: `must be a non-empty string of at most ${max} characters` };
const lowerStr = (max: number): Parse => (v) => {
  const r = str(max)(v);
  return 'value' in r ? { value: (r.value as string).toLowerCase() } : r;
};
const num = (min: number, opts: { exclusiveMin?: boolean } = {}): Parse => (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { error: 'must be a number' };
  if (opts.exclusiveMin ? v <= min : v < min) return { error: `must be ${opts.exclusiveMin ? 'greater than' : 'at least'} ${min}` };
  return { value: v };
};
const int = (min: number, max: number): Parse => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { value: v } : { error: `must be an integer from ${min} to ${max}` };
const oneOf = (values: readonly string[]): Parse => (v) =>
  typeof v === 'string' && values.includes(v.toLowerCase()) ? { value: v.toLowerCase() } : { error: `must be one of ${values.join(', ')}` };
const email: Parse = (v) =>
  typeof v === 'string' && v.length <= 254 && EMAIL.test(v.trim()) ? { value: v.trim().toLowerCase() } : { error: 'must be an email address' };
const currency: Parse = (v) => (typeof v === 'string' && /^[A-Za-z]{3}$/.test(v) ? { value: v.toUpperCase() } : { error: 'must be an ISO 4217 currency code' });
const object = (maxBytes: number): Parse => (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Buffer.byteLength(JSON.stringify(v)) <= maxBytes
    ? { value: v }
    : { error: `must be a JSON object of at most ${maxBytes} bytes` };

/** ISO 8601 date-time string -> Date. */
export const isoDate: Parse = (v) => {
  if (typeof v !== 'string' || !ISO_8601.test(v)) return { error: 'must be an ISO 8601 date-time, e.g. 2026-01-02T03:04:05Z' };
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? { error: 'must be a valid date' } : { value: d };
};

const ITEM: Schema = {
  sku: { required: true, parse: str(100) },
  name: { required: true, parse: str(200) },
  quantity: { required: true, parse: int(1, 1_000_000) },
  unitPrice: { required: true, parse: num(0) },
};
const items: Parse = (v) => {
  if (!Array.isArray(v) || v.length > 500) return { error: 'must be an array of at most 500 items' };
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const r = applySchema(ITEM, camelKeys(v[i]), `items[${i}]`);
    if ('errors' in r) return { error: r.errors.map((e) => `${e.field} ${e.message}`).join('; ') };
    out.push(r.value);
  }
  return { value: out };
};

const optionalEmail: FieldSpec = { parse: email };

/** What each event type's data may carry (camelCase; snake_case keys are converted first). */
const SCHEMAS: Record<Exclude<EventType, 'profile_update'>, Schema> = {
  purchase: {
    orderId: { required: true, parse: str(200) }, amount: { required: true, parse: num(0) }, currency: { parse: currency },
    items: { parse: items }, channel: { parse: str(50) }, email: optionalEmail,
  },
  refund: { orderId: { required: true, parse: str(200) }, amount: { required: true, parse: num(0, { exclusiveMin: true }) }, email: optionalEmail },
  support_ticket: {
    ticketId: { required: true, parse: str(200) }, subject: { required: true, parse: str(500) },
    severity: { required: true, parse: oneOf(TICKET_SEVERITIES) }, status: { required: true, parse: oneOf(TICKET_STATUSES) }, email: optionalEmail,
  },
  work_order: {
    workOrderId: { required: true, parse: str(200) }, status: { required: true, parse: lowerStr(30) }, description: { parse: str(2000) },
    cost: { parse: num(0) }, scheduledAt: { parse: isoDate }, completedAt: { parse: isoDate }, email: optionalEmail,
  },
  contact: {
    channel: { required: true, parse: oneOf(CONTACT_CHANNELS) }, direction: { required: true, parse: oneOf(CONTACT_DIRECTIONS) },
    summary: { parse: str(2000) }, email: optionalEmail,
  },
  note: { text: { required: true, parse: str(10_000) }, noteType: { parse: oneOf(NOTE_TYPES) }, email: optionalEmail },
  usage: { apiCalls: { required: true, parse: int(0, MAX_INT) }, period: { parse: str(50) }, email: optionalEmail },
  login: { email: optionalEmail },
  custom: { name: { required: true, parse: str(100) }, properties: { parse: object(16 * 1024) }, email: optionalEmail },
};

export type DataResult = { value: Record<string, unknown> } | { errors: FieldError[] };

const camelCache = new Map<string, string>();

/** snake_case -> camelCase for one key (memoised: publishers send the same few keys millions of times). */
export function camelKey(k: string): string {
  if (!k.includes('_')) return k;
  let c = camelCache.get(k);
  if (c === undefined) {
    c = k.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
    if (camelCache.size < 10_000) camelCache.set(k, c);
  }
  return c;
}

/** snake_case keys to camelCase (one level); publishers may send either. */
export function camelKeys(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k in v) out[camelKey(k)] = (v as Record<string, unknown>)[k];
  return out;
}

function applySchema(schema: Schema, raw: unknown, prefix: string): DataResult {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { errors: [{ field: prefix || 'data', message: 'must be a JSON object' }] };
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (!(key in schema)) errors.push({ field: at(key), message: 'is not an allowed field' });
  for (const [key, spec] of Object.entries(schema)) {
    const v = (raw as Record<string, unknown>)[key];
    if (v === undefined || v === null) {
      if (spec.required) errors.push({ field: at(key), message: 'is required' });
      continue;
    }
    const r = spec.parse(v);
    if ('error' in r) errors.push({ field: at(key), message: r.error });
    else value[key] = r.value;
  }
  return errors.length ? { errors } : { value };
}

/** Validates and normalises an event's data for its type; field names in errors are prefixed with `data.`. */
export function validateEventData(type: EventType, raw: unknown): DataResult {
  const data = camelKeys(raw ?? {});
  if (type === 'profile_update') return validateProfileUpdate(data);
  return applySchema(SCHEMAS[type], data, 'data');
}

/** profile_update: the same validation as PATCH /customers/:id (UpdateCustomerDto, whitelist + forbidNonWhitelisted). */
function validateProfileUpdate(data: unknown): DataResult {
  const shape = applySchema({ fields: { parse: object(64 * 1024) }, addTags: { parse: (v) => ({ value: v }) }, removeTags: { parse: (v) => ({ value: v }) }, email: optionalEmail }, data, 'data');
  if ('errors' in shape) return shape;
  const { fields, addTags, removeTags } = shape.value as { fields?: Record<string, unknown>; addTags?: unknown; removeTags?: unknown };
  if (!fields && addTags === undefined && removeTags === undefined) return { errors: [{ field: 'data', message: 'needs fields, addTags or removeTags' }] };
  const errors: FieldError[] = [];
  const camel = (fields ? camelKeys(fields) : {}) as Record<string, unknown>;
  // The event names the customer; its identity and the REST-only optimistic version are not event-updatable.
  for (const k of ['externalId', 'version']) if (k in camel) errors.push({ field: `data.fields.${k}`, message: 'cannot be changed by an event' });
  const opts = { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } };
  const dto = plainToInstance(UpdateCustomerDto, camel);
  errors.push(...flattenValidationErrors(validateSync(dto, opts), 'data.fields'));
  const tags = plainToInstance(ProfileTagsDto, { addTags, removeTags });
  errors.push(...flattenValidationErrors(validateSync(tags, opts), 'data'));
  if (errors.length) return { errors };
  const cleanFields = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
  return { value: { fields: cleanFields, ...(tags.addTags ? { addTags: tags.addTags } : {}), ...(tags.removeTags ? { removeTags: tags.removeTags } : {}) } };
}
