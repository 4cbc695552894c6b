import { Injectable } from '@nestjs/common';
import { AddressesService, CustomersService, toAddressDto, toCustomerDto } from '../customers';
import { NotesService } from '../notes';
import { PreferencesService } from '../preferences';
import { PurchasesService } from '../purchases';
import { ActivityRepository } from './activity.repository';
import { CustomerContextDto } from './dto/context.dto';
import { toEventDto } from './event.mapper';
import { EventsRepository } from './events.repository';

/** A named part of the context another module contributes (loyalty, metrics, health...). */
export type ContextSection = (tenantId: string, customerId: string) => Promise<unknown>;

const RECENT = 10;

/** GET /customers/:id/context: the customer on one screen, assembled from every module in parallel. */
@Injectable()
export class CustomerContextService {
  private readonly sections = new Map<string, ContextSection>();

  constructor(
    private readonly customers: CustomersService,
    private readonly addresses: AddressesService,
    private readonly preferences: PreferencesService,
    private readonly notes: NotesService,
    private readonly purchases: PurchasesService,
    private readonly events: EventsRepository,
    private readonly activity: ActivityRepository,
  ) {}

  /** Adds a section to every context answer (call from the contributing module's onModuleInit). */
  registerSection(name: string, section: ContextSection): void {
    this.sections.set(name, section);
  }

  async build(tenantId: string, customerId: string): Promise<CustomerContextDto> {
    const customer = await this.customers.get(tenantId, customerId);
    const extra = [...this.sections.entries()];
    const [addresses, preferences, notes, recentEvents, openTickets, workOrders, purchaseSummary, ...extraValues] = await Promise.all([
      this.addresses.list(tenantId, customerId),
      this.preferences.get(tenantId, customerId),
      this.notes.contextNotes(tenantId, customerId),
      this.events.list(tenantId, { customerId, limit: RECENT }),
      this.activity.openTickets(tenantId, customerId, RECENT),
      this.activity.workOrders(tenantId, customerId, RECENT),
      this.purchases.summaryForCustomer(tenantId, customerId),
      ...extra.map(([, section]) => section(tenantId, customerId)),
    ]);
    const note = (n: { id: string; type: string; body: string; pinned: boolean; source: string | null; createdAt: Date }) => ({
      id: n.id, type: n.type, body: n.body, pinned: !!n.pinned, source: n.source, createdAt: n.createdAt,
    });
    const context: CustomerContextDto = {
      customer: toCustomerDto(customer),
      addresses: addresses.map(toAddressDto),
      preferences: preferences as unknown as Record<string, unknown>,
      notes: { pinned: notes.pinned.map(note), recent: notes.recent.map(note) },
      recentEvents: recentEvents.map(toEventDto),
      openTickets: openTickets.map((t) => ({ ticketId: t.ticketId, subject: t.subject, severity: t.severity, status: t.status, openedAt: t.openedAt })),
      workOrders: workOrders.map((w) => ({
        workOrderId: w.workOrderId, status: w.status, description: w.description, costMinor: w.costMinor, currency: w.currency,
        scheduledAt: w.scheduledAt, completedAt: w.completedAt, openedAt: w.openedAt,
      })),
      purchaseSummary,
    };
    extra.forEach(([name], i) => (context[name] = extraValues[i]));
    return context;
  }
}
