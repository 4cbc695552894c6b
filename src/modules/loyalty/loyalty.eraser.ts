import { Injectable, OnModuleInit } from '@nestjs/common';
import { CustomersService } from '../customers';
import { LoyaltyRepository } from './loyalty.repository';

/**
 * A hard-deleted customer's account, ledger, lots and tier history go with it. These tables have no foreign key to
 * customers (migration 1733420000000): the hard delete runs this in its transaction, under the tenant's erasure lock
 * that every ledger transaction takes shared.
 */
@Injectable()
export class LoyaltyEraser implements OnModuleInit {
  constructor(
    private readonly customers: CustomersService,
    private readonly repo: LoyaltyRepository,
  ) {}

  onModuleInit(): void {
    this.customers.registerEraser((tenantId, customerId, m) => this.repo.deleteForCustomer(tenantId, customerId, m));
  }
}
