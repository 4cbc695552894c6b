import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CustomerPreferences } from './entities/customer-preferences.entity';

/** Contact preferences. (Minimal surface used by the customer context until the full module lands.) */
@Injectable()
export class PreferencesService {
  constructor(private readonly ds: DataSource) {}

  /** The stored preferences, or null when none were ever set (the opt-in defaults apply). */
  findForCustomer(tenantId: string, customerId: string): Promise<CustomerPreferences | null> {
    return this.ds.manager.findOne(CustomerPreferences, { where: { tenantId, customerId } });
  }
}
