import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomersService } from '../customers';
import { ActivityRepository } from './activity.repository';
import { EventsRepository } from './events.repository';
import { ProfileChangesRepository } from './profile-changes.repository';

/**
 * A hard-deleted customer's events, their effects (telemetry, contacts, tickets, work orders) and profile history go
 * with it. These tables have no foreign key to customers (migrations 1733300000000, 1733400000000): the hard delete
 * runs this in its transaction.
 */
@Injectable()
export class CustomerActivityEraser implements OnModuleInit {
  constructor(
    private readonly customers: CustomersService,
    private readonly events: EventsRepository,
    private readonly activity: ActivityRepository,
    private readonly profileChanges: ProfileChangesRepository,
  ) {}

  onModuleInit(): void {
    this.customers.registerEraser((tenantId, customerId, m) => this.erase(tenantId, customerId, m));
  }

  private async erase(tenantId: string, customerId: string, m: EntityManager): Promise<void> {
    await this.activity.deleteForCustomer(tenantId, customerId, m);
    await this.events.deleteForCustomer(tenantId, customerId, m);
    await this.profileChanges.deleteForCustomer(tenantId, customerId, m);
  }
}
