import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomersService } from '../customers';
import { ActivityRepository } from './activity.repository';
import { EventsRepository } from './events.repository';

/**
 * A hard-deleted customer's events and their effects (telemetry, contacts, tickets, work orders) go with it. These
 * tables have no foreign key to customers (migration 1733300000000): the hard delete runs this in its transaction.
 */
@Injectable()
export class CustomerActivityEraser implements OnModuleInit {
  constructor(
    private readonly customers: CustomersService,
    private readonly events: EventsRepository,
    private readonly activity: ActivityRepository,
  ) {}

  onModuleInit(): void {
    this.customers.registerEraser((tenantId, customerId, m) => this.erase(tenantId, customerId, m));
  }

  private async erase(tenantId: string, customerId: string, m: EntityManager): Promise<void> {
    await this.activity.deleteForCustomer(tenantId, customerId, m);
    await this.events.deleteForCustomer(tenantId, customerId, m);
  }
}
