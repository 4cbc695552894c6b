import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { AddressesRepository } from './addresses.repository';
import { CustomersService } from './customers.service';
import { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';
import { Address } from './entities/address.entity';

/** A customer's addresses; at most one default per address type. */
@Injectable()
export class AddressesService {
  constructor(
    private readonly repo: AddressesRepository,
    private readonly customers: CustomersService,
    private readonly tx: TransactionRunner,
  ) {}

  async list(tenantId: string, customerId: string): Promise<Address[]> {
    await this.customers.assertExists(tenantId, customerId);
    return this.repo.list(tenantId, customerId);
  }

  async get(tenantId: string, customerId: string, id: string): Promise<Address> {
    await this.customers.assertExists(tenantId, customerId);
    const a = await this.repo.find(tenantId, customerId, id);
    if (!a) throw AppError.notFound(ErrorCode.ADDRESS_NOT_FOUND, 'Address', id);
    return a;
  }

  create(tenantId: string, customerId: string, dto: CreateAddressDto): Promise<Address> {
    return this.tx.run(async (m) => {
      await this.customers.assertExists(tenantId, customerId, m);
      const saved = await this.repo.save(
        {
          tenantId,
          customerId,
          type: dto.type,
          line1: dto.line1,
          line2: dto.line2 ?? null,
          city: dto.city,
          region: dto.region ?? null,
          postalCode: dto.postalCode ?? null,
          country: dto.country,
          latitude: dto.latitude ?? null,
          longitude: dto.longitude ?? null,
          isDefault: dto.isDefault ?? false,
          // Millisecond timestamps from here keep list order stable on every driver (see CustomersRepository).
          createdAt: new Date(),
          updatedAt: new Date(),
        },
        m,
      );
      if (saved.isDefault) await this.repo.clearDefault(tenantId, customerId, saved.type, saved.id, m);
      return saved;
    });
  }

  update(tenantId: string, customerId: string, id: string, dto: UpdateAddressDto): Promise<Address> {
    return this.tx.run(async (m) => {
      await this.customers.assertExists(tenantId, customerId, m);
      const a = await this.repo.find(tenantId, customerId, id, m);
      if (!a) throw AppError.notFound(ErrorCode.ADDRESS_NOT_FOUND, 'Address', id);
      for (const [k, v] of Object.entries(dto)) if (v !== undefined) (a as unknown as Record<string, unknown>)[k] = v;
      a.updatedAt = new Date();
      const saved = await this.repo.save(a, m);
      if (saved.isDefault) await this.repo.clearDefault(tenantId, customerId, saved.type, saved.id, m);
      return saved;
    });
  }

  async remove(tenantId: string, customerId: string, id: string): Promise<void> {
    await this.get(tenantId, customerId, id);
    await this.repo.delete(tenantId, customerId, id);
  }
}
