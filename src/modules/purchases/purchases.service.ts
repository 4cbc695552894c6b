import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { DomainEvent } from '../../shared/domain-event';
import { isKnownCurrency, toMinorUnits } from '../../shared/money';
import { CustomersService } from '../customers';
import { TenantsService } from '../identity';
import { Purchase, PurchaseItem } from './entities/purchase.entity';
import { PURCHASE_EVENTS, PurchaseRecordedEvent, PurchaseRefundedEvent } from './purchase.events';
import { PurchasesRepository } from './purchases.repository';

export interface RecordPurchaseInput {
  tenantId: string;
  customerId: string;
  orderId: string;
  /** Major units, e.g. 49.99 */
  amount: number;
  currency: string;
  items?: Array<{ sku: string; name: string; quantity: number; unitPrice: number }>;
  channel?: string | null;
  occurredAt: Date;
  sourceEventId?: string | null;
}

export interface RecordRefundInput {
  tenantId: string;
  orderId: string;
  /** Major units in the purchase's currency. */
  amount: number;
  occurredAt: Date;
}

export interface RecordResult {
  purchase: Purchase;
  /** True when this orderId was already recorded (nothing changed). */
  duplicate: boolean;
  events: DomainEvent[];
}

/** Purchases and refunds in integer minor units of the tenant's base currency. */
@Injectable()
export class PurchasesService {
  constructor(
    private readonly repo: PurchasesRepository,
    private readonly tenants: TenantsService,
    private readonly customers: CustomersService,
  ) {}

  /** Records a purchase once per orderId. Emits nothing itself: the caller emits `events` after commit. */
  async recordPurchase(input: RecordPurchaseInput, manager?: EntityManager): Promise<RecordResult> {
    const currency = input.currency.toUpperCase();
    if (!isKnownCurrency(currency)) throw AppError.validation('currency', `${input.currency} is not an ISO 4217 currency code`);
    const tenant = await this.tenants.get(input.tenantId);
    const base = tenant.settings.baseCurrency ?? 'USD';
    if (currency !== base) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `currency: ${currency} differs from the tenant's base currency ${base}; amounts are not converted`, [
        { field: 'currency', message: `must be the tenant base currency ${base}` },
      ]);
    }
    const amountMinor = toMinorUnits(input.amount, currency);
    if (amountMinor < 0) throw AppError.validation('amount', 'must not be negative');
    const items: PurchaseItem[] = (input.items ?? []).map((it, i) => ({
      sku: it.sku,
      name: it.name,
      quantity: it.quantity,
      unitPrice: toMinorUnits(it.unitPrice, currency, `items[${i}].unitPrice`),
    }));
    const { purchase, inserted } = await this.repo.insertIfNew(
      {
        tenantId: input.tenantId, customerId: input.customerId, orderId: input.orderId, amountMinor, refundedMinor: 0, currency,
        status: 'completed', channel: input.channel ?? null, items, occurredAt: input.occurredAt, sourceEventId: input.sourceEventId ?? null,
      },
      manager,
    );
    if (!inserted) return { purchase, duplicate: true, events: [] };
    const payload: PurchaseRecordedEvent = {
      tenantId: purchase.tenantId, customerId: purchase.customerId, purchaseId: purchase.id, orderId: purchase.orderId,
      amountMinor: purchase.amountMinor, currency, occurredAt: purchase.occurredAt.toISOString(),
    };
    return { purchase, duplicate: false, events: [{ name: PURCHASE_EVENTS.recorded, payload }] };
  }

  /** Refunds part or all of a purchase; capped at what is left, so a refund never goes below zero. */
  async recordRefund(input: RecordRefundInput, manager?: EntityManager): Promise<RecordResult> {
    const purchase = await this.repo.findByOrderId(input.tenantId, input.orderId, manager);
    if (!purchase) throw new AppError(ErrorCode.NOT_FOUND, `No purchase with orderId ${input.orderId}`, [{ field: 'orderId', message: 'has no recorded purchase' }]);
    const requested = toMinorUnits(input.amount, purchase.currency);
    if (requested <= 0) throw AppError.validation('amount', 'must be greater than zero');
    const refundMinor = Math.min(requested, purchase.amountMinor - purchase.refundedMinor);
    const refundedMinor = purchase.refundedMinor + refundMinor;
    const status = refundedMinor >= purchase.amountMinor ? 'refunded' : refundedMinor > 0 ? 'partially_refunded' : 'completed';
    await this.repo.updateRefund(purchase.id, refundedMinor, status, manager);
    Object.assign(purchase, { refundedMinor, status });
    const payload: PurchaseRefundedEvent = {
      tenantId: purchase.tenantId, customerId: purchase.customerId, purchaseId: purchase.id, orderId: purchase.orderId, refundMinor,
      refundedMinor, amountMinor: purchase.amountMinor, currency: purchase.currency, occurredAt: input.occurredAt.toISOString(),
    };
    return { purchase, duplicate: false, events: [{ name: PURCHASE_EVENTS.refunded, payload }] };
  }

  findByOrderId(tenantId: string, orderId: string): Promise<Purchase | null> {
    return this.repo.findByOrderId(tenantId, orderId);
  }

  async getByOrderId(tenantId: string, orderId: string): Promise<Purchase> {
    const p = await this.repo.findByOrderId(tenantId, orderId);
    if (!p) throw AppError.notFound(ErrorCode.PURCHASE_NOT_FOUND, 'Purchase with orderId', orderId);
    return p;
  }

  /** A customer's purchases, newest first, keyset-paged. */
  async listForCustomer(tenantId: string, customerId: string, q: { limit?: number; cursor?: string }): Promise<Page<Purchase>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = q.limit ?? 20;
    const r = await this.repo.listForCustomer(tenantId, customerId, limit, q.cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }
}
