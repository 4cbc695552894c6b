import { IncomingMessage, MAX_MESSAGE_BYTES } from '../../../infra/messaging';
import { ErrorCode } from '../../../shared/app-error';
import { EventDraft, parseEnvelope, Rejection, rejection } from './event-envelope';

export interface SubjectParts {
  tenantRef?: string;
  customerRef: string;
  eventType: string;
}

/** A subject customerRef of `_` means "no reference": the envelope's customer_id or email names the customer. */
export const NO_CUSTOMER_REF = '_';

/** customer.events.{tenant}.{customerRef}.{eventType}, or customer.events.{customerRef}.{eventType} (seed publishers). */
export function parseSubject(subject: string, prefix: string): SubjectParts | null {
  if (!subject.startsWith(`${prefix}.`)) return null;
  const tokens = subject.slice(prefix.length + 1).split('.');
  if (tokens.some((t) => !t)) return null;
  if (tokens.length === 3) return { tenantRef: tokens[0], customerRef: tokens[1], eventType: tokens[2] };
  if (tokens.length === 2) return { customerRef: tokens[0], eventType: tokens[1] };
  return null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as stored in a dead letter: UTF-8 text, or base64 when it is not valid UTF-8. */
export function encodePayload(data: Uint8Array): { payload: string; encoding: 'utf8' | 'base64' } {
  try {
    return { payload: UTF8.decode(data), encoding: 'utf8' };
  } catch {
    return { payload: Buffer.from(data).toString('base64'), encoding: 'base64' };
  }
}

export type DecodedMessage = { tenantRef?: string; draft: EventDraft } | { tenantRef?: string; rejection: Rejection };

/** Subject, size, UTF-8, JSON and envelope checks for one stream message; no I/O. */
export function decodeNatsMessage(m: IncomingMessage, cfg: { subjectPrefix: string; defaultTenant?: string }, now: Date): DecodedMessage {
  const parts = parseSubject(m.subject, cfg.subjectPrefix);
  const tenantRef = parts?.tenantRef ?? cfg.defaultTenant;
  if (!parts) {
    return { tenantRef, rejection: rejection(ErrorCode.VALIDATION_FAILED, `Subject ${m.subject} is not ${cfg.subjectPrefix}.{tenant}.{customerRef}.{eventType}`) };
  }
  if (!tenantRef) {
    return { rejection: rejection(ErrorCode.TENANT_NOT_FOUND, `Subject ${m.subject} names no tenant and DEFAULT_TENANT is not configured`) };
  }
  if (m.data.byteLength > MAX_MESSAGE_BYTES) {
    return { tenantRef, rejection: rejection(ErrorCode.PAYLOAD_TOO_LARGE, `The event is ${m.data.byteLength} bytes; the limit is 1 MB`) };
  }
  let text: string;
  try {
    text = UTF8.decode(m.data);
  } catch {
    return { tenantRef, rejection: rejection(ErrorCode.VALIDATION_FAILED, 'Malformed payload: not UTF-8 text') };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { tenantRef, rejection: rejection(ErrorCode.VALIDATION_FAILED, `Malformed JSON: ${(e as Error).message}`) };
  }
  const r = parseEnvelope(body, {
    subjectRef: parts.customerRef === NO_CUSTOMER_REF ? undefined : parts.customerRef,
    subjectType: parts.eventType,
    fallbackKey: () => m.msgId ?? `${m.stream}:${m.streamSeq}`,
    now,
  });
  return 'draft' in r ? { tenantRef, draft: r.draft } : { tenantRef, rejection: r.rejection };
}
