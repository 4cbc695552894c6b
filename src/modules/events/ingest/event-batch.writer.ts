import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../../infra/database';
import { AppError, ErrorCode } from '../../../shared/app-error';
import { DomainEvent } from '../../../shared/domain-event';
import { toMinorUnits } from '../../../shared/money';
import { addTo } from '../../../shared/multimap';
import { CustomerRef, CustomersService, UpdateCustomerDto } from '../../customers';
import { NotesService, NoteType } from '../../notes';
import { PurchasesService, RecordPurchaseInput } from '../../purchases';
import { ActivityRepository } from '../activity.repository';
import { EventsRepository, NewEventRow } from '../events.repository';
import { rejection } from './event-envelope';
import { Accepted, activityRows, contactRows, latestActivity, telemetryRows, ticketRows, workOrderRows } from './event-effects';
import { CustomerEventRecorded, EVENTS_DOMAIN, EventOutcome, WriteItem, WriteResult } from './ingest.types';

/** A batch after prepare(): per item an early outcome (rejected, duplicate in batch) or its customer. */
export interface PreparedBatch {
  items: WriteItem[];
  out: Array<EventOutcome | undefined>;
  costs: Map<number, number | null>;
  dupOf: Map<number, number>;
  customerOf: Map<number, string>;
  /** customer.created of customers made on first sight (already committed). */
  domainEvents: DomainEvent[];
}

/** A rule broken by one event; `prefix` places the service's field names inside the envelope (data.currency). */
const rejected = (e: AppError, prefix = ''): EventOutcome => ({
  status: 'rejected',
  error: rejection(
    e.code,
    e.message,
    Array.isArray(e.details) ? (e.details as Array<{ field: string; message: string }>).map((d) => ({ ...d, field: d.field.startsWith(prefix) ? d.field : `${prefix}${d.field}` })) : [],
  ),
});

/**
 * Writes a batch of valid events set-based: customers are resolved (and created on first sight) in a couple of
 * statements, then, inside the caller's transaction, event rows in one and each effect type in one more. Only
 * events whose key is new get effects. A rule that fails for one event (currency, unknown order...) rejects that event alone
 * without aborting the transaction; nested transactions (savepoints) guard the few per-event effects.
 */
@Injectable()
export class EventBatchWriter {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly customers: CustomersService,
    private readonly purchases: PurchasesService,
    private readonly notes: NotesService,
    private readonly events: EventsRepository,
    private readonly activity: ActivityRepository,
  ) {}

  /**
   * Everything before the batch transaction: checks that need the tenant, duplicate keys inside the batch, and the
   * customers the events name. Customers seen for the first time are created in a short transaction of their own
   * (idempotent: a retry finds them), so concurrent batches hold the customers' unique-index entries only briefly.
   */
  async prepare(items: WriteItem[]): Promise<PreparedBatch> {
    const out = new Array<EventOutcome | undefined>(items.length);
    const domainEvents: DomainEvent[] = [];
    const costs = this.precheck(items, out);
    const dupOf = this.dedupeKeys(items, out);
    const customerOf = await this.resolveCustomers(items, out, domainEvents);
    return { items, out, costs, dupOf, customerOf, domainEvents };
  }

  /** Writes a prepared batch inside the caller's transaction. */
  async write(p: PreparedBatch, m: EntityManager): Promise<WriteResult> {
    const { items, costs, dupOf, customerOf } = p;
    const out = [...p.out];
    await this.lockCustomers(items, out, customerOf, m);
    const domainEvents: DomainEvent[] = [];
    const rows: NewEventRow[] = [];
    const rowOf = new Map<number, NewEventRow>();
    items.forEach((it, i) => {
      if (out[i]) return;
      const row: NewEventRow = {
        id: randomUUID(), tenantId: it.tenant.id, customerId: customerOf.get(i)!, eventKey: it.key, type: it.draft.type, source: it.draft.source,
        occurredAt: it.draft.occurredAt, data: it.draft.data, transport: it.transport, subject: it.subject,
      };
      rows.push(row);
      rowOf.set(i, row);
    });
    const inserted = await this.events.insertNew(rows, m);
    const accepted: Array<Accepted & { i: number }> = [];
    for (const [i, row] of rowOf) {
      if (!inserted.has(row.id)) out[i] = { status: 'duplicate', eventId: null };
      else accepted.push({ i, tenantId: row.tenantId, customerId: row.customerId, eventId: row.id, type: row.type, occurredAt: row.occurredAt, data: row.data, costMinor: costs.get(i), baseCurrency: items[i].tenant.baseCurrency });
    }

    const undone: string[] = [];
    await this.recordPurchases(accepted.filter((a) => a.type === 'purchase'), out, undone, domainEvents, m);
    for (const a of accepted) {
      if (a.type === 'refund') await this.perEvent(a, 'data.', out, undone, m, async (sp) => {
        const r = await this.purchases.recordRefund({ tenantId: a.tenantId, orderId: a.data.orderId as string, amount: a.data.amount as number, occurredAt: a.occurredAt }, sp);
        domainEvents.push(...r.events);
      });
      else if (a.type === 'profile_update') await this.perEvent(a, 'data.fields.', out, undone, m, async (sp) => {
        const d = a.data as { fields: UpdateCustomerDto; addTags?: string[]; removeTags?: string[] };
        const r = await this.customers.updateInTransaction(a.tenantId, a.customerId, d.fields, sp, { add: d.addTags, remove: d.removeTags });
        domainEvents.push(...r.events);
      });
      else if (a.type === 'note') {
        const type = (a.data.noteType as NoteType | undefined) ?? 'observation';
        await this.notes.addFromEvent(a.tenantId, a.customerId, { type, body: a.data.text as string, source: items[a.i].draft.source ?? 'event', createdAt: a.occurredAt }, m);
      }
    }
    await this.events.deleteByIds(undone, m);
    const live = accepted.filter((a) => !out[a.i]);
    const tickets = ticketRows(live.filter((a) => a.type === 'support_ticket'));
    await this.activity.upsertTickets(tickets.rows, m);
    const workOrders = workOrderRows(live.filter((a) => a.type === 'work_order'));
    await this.activity.upsertWorkOrders(workOrders.rows, m);
    await this.activity.insertContacts(contactRows(live.filter((a) => a.type === 'contact')), m);
    await this.activity.insertTelemetry(telemetryRows(live.filter((a) => a.type === 'usage' || a.type === 'login')), m);
    await this.customers.touchActivity(activityRows(live), m);
    domainEvents.push(...tickets.domainEvents, ...workOrders.domainEvents);

    for (const a of live) {
      out[a.i] = { status: 'accepted', eventId: a.eventId, customerId: a.customerId };
      const payload: CustomerEventRecorded = { tenantId: a.tenantId, customerId: a.customerId, eventId: a.eventId, type: a.type, occurredAt: a.occurredAt.toISOString() };
      domainEvents.push({ name: EVENTS_DOMAIN.recorded, payload });
    }
    await this.fillDuplicateIds(items, out, dupOf, m);
    return { outcomes: out as EventOutcome[], domainEvents };
  }

  /**
   * The batch's customers, safe from a hard delete until commit (the tables written here have no foreign key to
   * customers). An event whose customer was hard-deleted since prepare() is rejected, as the foreign key did.
   */
  private async lockCustomers(items: WriteItem[], out: Array<EventOutcome | undefined>, customerOf: Map<number, string>, m: EntityManager): Promise<void> {
    const byTenant = new Map<string, string[]>();
    items.forEach((it, i) => !out[i] && addTo(byTenant, it.tenant.id, customerOf.get(i)!));
    const live = await this.customers.lockExistingByTenant(byTenant, m);
    items.forEach((_, i) => {
      if (out[i] || live.has(customerOf.get(i)!.toLowerCase())) return;
      out[i] = rejected(new AppError(ErrorCode.CUSTOMER_NOT_FOUND, 'The customer was deleted while the event was being stored', [{ field: 'customer_id', message: 'is not a customer of this tenant' }]));
    });
  }

  /** Checks that need the tenant but no writes (currency, money precision), so a rejected event writes nothing. */
  private precheck(items: WriteItem[], out: Array<EventOutcome | undefined>): Map<number, number | null> {
    const costs = new Map<number, number | null>();
    items.forEach((it, i) => {
      try {
        const d = it.draft.data;
        if (it.draft.type === 'purchase') {
          d.currency ??= it.tenant.baseCurrency;
          this.purchases.checkPurchase(purchaseInputOf(it.tenant.id, '', it.draft.occurredAt, d), it.tenant.baseCurrency);
        } else if (it.draft.type === 'work_order') {
          costs.set(i, d.cost === undefined ? null : toMinorUnits(d.cost as number, it.tenant.baseCurrency, 'data.cost'));
        }
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out[i] = rejected(e, 'data.');
      }
    });
    return costs;
  }

  /** A key seen twice in one batch: the later ones are duplicates of the first. */
  private dedupeKeys(items: WriteItem[], out: Array<EventOutcome | undefined>): Map<number, number> {
    const first = new Map<string, number>();
    const dupOf = new Map<number, number>();
    items.forEach((it, i) => {
      if (out[i]) return;
      const k = `${it.tenant.id}\u0000${it.key}`;
      const f = first.get(k);
      if (f === undefined) first.set(k, i);
      else {
        dupOf.set(i, f);
        out[i] = { status: 'duplicate', eventId: null };
      }
    });
    return dupOf;
  }

  private async resolveCustomers(items: WriteItem[], out: Array<EventOutcome | undefined>, domainEvents: DomainEvent[]): Promise<Map<number, string>> {
    const customerOf = new Map<number, string>();
    const byTenant = new Map<string, number[]>();
    items.forEach((it, i) => !out[i] && addTo(byTenant, it.tenant.id, i));
    for (const [tenantId, idx] of byTenant) {
      const refs = idx.map((i) => items[i].draft.customer);
      const ids = [...new Set(refs.flatMap((r) => (r.id ? [r.id] : [])))];
      const externalIds = [...new Set(refs.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
      const emails = [...new Set(refs.flatMap((r) => (!r.id && !r.externalId && r.email ? [r.email] : [])))];
      // A UUID customer_id may also be a publisher's own reference: look it up as an external id too.
      const found = await this.customers.findRefs(tenantId, { ids, externalIds: [...externalIds, ...ids], emails });
      const byId = new Map(found.map((c) => [c.id, c]));
      const byExt = new Map(found.flatMap((c) => (c.externalId ? [[c.externalId, c] as const] : [])));
      const byEmail = new Map(found.flatMap((c) => (c.email ? [[c.email, c] as const] : [])));
      // A customer made on first sight starts with the batch's activity, so the activity update need not rewrite it
      // (every customer update rewrites all its indexes). Refunds are left out: one can still be refused (no such order).
      const activity = latestActivity(
        idx.filter((i) => items[i].draft.type !== 'refund').map((i) => ({ key: refKey(items[i].draft.customer), type: items[i].draft.type, data: items[i].draft.data, occurredAt: items[i].draft.occurredAt })),
      );
      const firstSeen = (key: string) => ({ lastSeenAt: activity.get(key)?.seenAt ?? null, lastContactedAt: activity.get(key)?.contactedAt ?? null });
      const wanted = [
        ...externalIds.filter((x) => !byExt.has(x)).map((externalId) => ({ externalId, ...firstSeen(`x:${externalId}`) })),
        ...emails.filter((e) => !byEmail.has(e)).map((email) => ({ email, ...firstSeen(`e:${email}`) })),
      ];
      if (wanted.length) {
        const source = items[idx[0]].draft.source ?? 'events';
        const made = await this.tx.run((m) => this.customers.ensureExist(tenantId, wanted, source, m));
        domainEvents.push(...made.events);
        for (const c of made.customers) {
          if (c.externalId) byExt.set(c.externalId, c);
          if (c.email) byEmail.set(c.email, c);
        }
      }
      for (const i of idx) {
        const r = items[i].draft.customer;
        const c: CustomerRef | undefined = r.id ? (byId.get(r.id) ?? byExt.get(r.id)) : r.externalId ? byExt.get(r.externalId) : byEmail.get(r.email!);
        const shown = r.id ?? r.externalId ?? r.email!;
        if (!c) {
          out[i] = rejected(r.id
            ? new AppError(ErrorCode.CUSTOMER_NOT_FOUND, `customer_id ${shown} is not a customer of this tenant (a UUID customer_id must name an existing customer)`, [{ field: 'customer_id', message: 'is not a customer of this tenant' }])
            : new AppError(ErrorCode.CONFLICT, `No customer could be found or created for ${shown}`, [{ field: 'customer_id', message: 'could not be resolved' }]));
        } else if (c.deletedAt) {
          out[i] = rejected(new AppError(ErrorCode.CUSTOMER_NOT_FOUND, `Customer ${shown} is deleted; restore it to record events`, [{ field: 'customer_id', message: 'is a deleted customer' }]));
        } else customerOf.set(i, c.id);
      }
    }
    return customerOf;
  }

  private async recordPurchases(
    accepted: Array<Accepted & { i: number }>, out: Array<EventOutcome | undefined>, undone: string[], domainEvents: DomainEvent[], m: EntityManager,
  ): Promise<void> {
    if (!accepted.length) return;
    const inputs = accepted.map((a) => ({ ...purchaseInputOf(a.tenantId, a.customerId, a.occurredAt, a.data), sourceEventId: a.eventId }));
    const results = await this.purchases.recordPurchases(inputs, m);
    results.forEach((r, k) => {
      const a = accepted[k];
      if (r.status === 'recorded') {
        domainEvents.push(...r.events);
        return;
      }
      // The order was already recorded (by another event id) or breaks a purchase rule: this event changes nothing.
      undone.push(a.eventId);
      out[a.i] = r.status === 'duplicate' ? { status: 'duplicate', eventId: null } : rejected(r.error, 'data.');
    });
  }

  /** An effect that may break a rule after writing: inside a savepoint, so a rejection undoes exactly this event. */
  private async perEvent(
    a: Accepted & { i: number }, prefix: string, out: Array<EventOutcome | undefined>, undone: string[], m: EntityManager, work: (sp: EntityManager) => Promise<void>,
  ): Promise<void> {
    try {
      await m.transaction(work);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      undone.push(a.eventId);
      out[a.i] = rejected(e, prefix);
    }
  }

  /** A duplicate answers with the id of the event it repeats. */
  private async fillDuplicateIds(items: WriteItem[], out: Array<EventOutcome | undefined>, dupOf: Map<number, number>, m: EntityManager): Promise<void> {
    const byTenant = new Map<string, number[]>();
    out.forEach((o, i) => {
      if (o?.status !== 'duplicate') return;
      const f = dupOf.get(i);
      const firstOut = f === undefined ? undefined : out[f];
      if (firstOut?.status === 'accepted') o.eventId = firstOut.eventId;
      else addTo(byTenant, items[i].tenant.id, i);
    });
    for (const [tenantId, idx] of byTenant) {
      const ids = await this.events.idsByKeys(tenantId, [...new Set(idx.map((i) => items[i].key))], m);
      for (const i of idx) (out[i] as { eventId: string | null }).eventId = ids.get(items[i].key) ?? null;
    }
  }
}

function purchaseInputOf(tenantId: string, customerId: string, occurredAt: Date, data: Record<string, unknown>): RecordPurchaseInput {
  const d = data as { orderId: string; amount: number; currency: string; items?: RecordPurchaseInput['items']; channel?: string };
  return { tenantId, customerId, orderId: d.orderId, amount: d.amount, currency: d.currency, items: d.items, channel: d.channel ?? null, occurredAt };
}

/** How resolveCustomers keys an unresolved reference: an external id (or a UUID that may be one), else an email. */
function refKey(r: { id?: string; externalId?: string; email?: string }): string {
  return r.id ? `x:${r.id}` : r.externalId ? `x:${r.externalId}` : `e:${r.email}`;
}
