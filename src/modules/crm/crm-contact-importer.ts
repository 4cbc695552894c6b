import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../infra/http/validation';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CreateCustomerDto, CustomersService, normalisePhone, UpdateCustomerDto } from '../customers';
import type { Customer } from '../customers';
import { CrmConnection } from './entities/crm-connection.entity';
import { fromRemote } from './field-mapping';
import { RemoteContact } from './providers/crm-provider';

/** What happened to a pulled contact; `customer` is the customer as it now stands (for the sync link). */
export type ImportOutcome = { outcome: 'created' | 'updated' | 'skipped' | 'failed'; customer?: Customer; customerId?: string; email?: string | null; error?: string };

/** Identity and required fields a pulled record never clears. */
const NEVER_NULL = new Set(['email', 'externalId', 'status', 'type']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns a pulled contact into a customer: matched by the CustomerIQ id the provider kept, else by email or
 * externalId (the unique indexes decide, so a contact never becomes a second customer), updated only when a
 * mapped field differs. Goes through CustomersService, so the usual validation and customer.* events apply.
 */
@Injectable()
export class CrmContactImporter {
  constructor(private readonly customers: CustomersService) {}

  /** `linkedCustomerId`: the customer this provider record was synced with before, if any. */
  async apply(tenantId: string, conn: CrmConnection, contact: RemoteContact, linkedCustomerId: string | null = null): Promise<ImportOutcome> {
    const { fields, attributes } = fromRemote(contact.fields, conn.fieldMapping);
    for (const k of Object.keys(fields)) if (fields[k] === null && NEVER_NULL.has(k)) delete fields[k];
    const body: Record<string, unknown> = { ...fields, ...(Object.keys(attributes).length ? { attributes } : {}) };
    const dto = plainToInstance(CreateCustomerDto, body);
    const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    const email = (dto.email as string | undefined) ?? null;
    if (problems.length) return { outcome: 'failed', email, error: flattenValidationErrors(problems).map((p) => `${p.field}: ${p.message}`).join('; ') };
    try {
      let existing = (await this.byCustomerId(tenantId, contact.customerId)) ?? (await this.byCustomerId(tenantId, linkedCustomerId));
      if (!existing) {
        if (!dto.email && !dto.externalId) return { outcome: 'skipped', email, error: 'no email or externalId to match on' };
        const created = await this.tryCreate(tenantId, conn, dto);
        if (created.customer) return { outcome: 'created', customer: created.customer, customerId: created.customer.id, email };
        if (created.deleted) return { outcome: 'skipped', customerId: created.existingId, email, error: 'matches a deleted customer' };
        existing = await this.customers.get(tenantId, created.existingId!);
      }
      return await this.updateIfChanged(tenantId, existing, dto, email);
    } catch (e) {
      return { outcome: 'failed', email, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async byCustomerId(tenantId: string, id: string | null): Promise<Customer | null> {
    if (!id || !UUID.test(id)) return null;
    try {
      return await this.customers.get(tenantId, id);
    } catch {
      return null;
    }
  }

  private async tryCreate(tenantId: string, conn: CrmConnection, dto: CreateCustomerDto): Promise<{ customer?: Customer; existingId?: string; deleted?: boolean }> {
    try {
      return { customer: await this.customers.create(tenantId, { ...dto, source: dto.source ?? `crm:${conn.provider}` }) };
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.CUSTOMER_EXISTS) {
        const d = e.details as { existingId: string; deleted: boolean };
        return { existingId: d.existingId, deleted: d.deleted };
      }
      throw e;
    }
  }

  private async updateIfChanged(tenantId: string, existing: Customer, dto: CreateCustomerDto, email: string | null): Promise<ImportOutcome> {
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(dto) as Array<[keyof CreateCustomerDto, unknown]>) {
      if (v === undefined || k === 'attributes' || k === 'tags') continue;
      const next = k === 'phone' ? normalisePhone(v as string | null) : v;
      if (JSON.stringify(existing[k as keyof Customer] ?? null) !== JSON.stringify(next ?? null)) patch[k] = next;
    }
    if (dto.attributes) {
      const merged = { ...existing.attributes, ...dto.attributes };
      if (JSON.stringify(merged) !== JSON.stringify(existing.attributes)) patch.attributes = merged;
    }
    if (!Object.keys(patch).length) return { outcome: 'skipped', customer: existing, customerId: existing.id, email };
    let updated: Customer;
    try {
      updated = await this.customers.update(tenantId, existing.id, patch as UpdateCustomerDto);
    } catch (e) {
      // Someone changed the customer meanwhile: apply on top of the newer version once.
      if (!(e instanceof AppError && e.code === ErrorCode.VERSION_CONFLICT)) throw e;
      updated = await this.customers.update(tenantId, existing.id, patch as UpdateCustomerDto);
    }
    return { outcome: 'updated', customer: updated, customerId: existing.id, email };
  }
}
