import { LoyaltyTransactionDto } from './dto/loyalty.dto';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';

export function toTransactionDto(t: LoyaltyTransaction): LoyaltyTransactionDto {
  return {
    id: t.id,
    seq: t.seq,
    type: t.type,
    points: t.points,
    balanceAfter: t.balanceAfter,
    qualifyingPoints: t.qualifyingPoints,
    shortfall: t.shortfall,
    reason: t.reason,
    reference: t.reference,
    occurredAt: t.occurredAt,
    createdAt: t.createdAt,
  };
}
