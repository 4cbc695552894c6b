import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Address } from './entities/address.entity';

/** The addresses table (AddressesService's rules; a customer's existence is checked by CustomersService). */
@Injectable()
export class AddressesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  list(tenantId: string, customerId: string): Promise<Address[]> {
    return this.ds.manager.find(Address, { where: { tenantId, customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  find(tenantId: string, customerId: string, id: string, manager?: EntityManager): Promise<Address | null> {
    return this.m(manager).findOne(Address, { where: { tenantId, customerId, id } });
  }

  save(address: Partial<Address>, manager: EntityManager): Promise<Address> {
    return manager.save(Address, manager.create(Address, address));
  }

  clearDefault(tenantId: string, customerId: string, type: string, exceptId: string | null, manager: EntityManager): Promise<unknown> {
    const qb = manager.createQueryBuilder().update(Address).set({ isDefault: false })
      .where('tenant_id = :tenantId AND customer_id = :customerId AND type = :type', { tenantId, customerId, type });
    if (exceptId) qb.andWhere('id <> :exceptId', { exceptId });
    return qb.execute();
  }

  delete(tenantId: string, customerId: string, id: string): Promise<unknown> {
    return this.ds.manager.delete(Address, { tenantId, customerId, id });
  }
}
