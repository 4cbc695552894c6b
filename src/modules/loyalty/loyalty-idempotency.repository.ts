import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { LoyaltyIdempotencyKey } from './entities/loyalty-idempotency-key.entity';

/** The Idempotency-Key replies of earn and redeem (uq_loyalty_idempotency_keys_key), dropped by the sweep after IDEMPOTENCY_KEY_DAYS. */
@Injectable()
export class LoyaltyIdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  find(tenantId: string, scope: string, idemKey: string, m?: EntityManager): Promise<LoyaltyIdempotencyKey | null> {
    return (m ?? this.ds.manager).findOne(LoyaltyIdempotencyKey, { where: { tenantId, scope, idemKey } });
  }

  async insert(k: Partial<LoyaltyIdempotencyKey>, m: EntityManager): Promise<void> {
    await m.save(LoyaltyIdempotencyKey, m.create(LoyaltyIdempotencyKey, k));
  }

  async deleteBefore(before: Date): Promise<number> {
    return (await this.ds.manager.delete(LoyaltyIdempotencyKey, { createdAt: LessThan(before) })).affected ?? 0;
  }
}
