import { PurchaseDto } from './dto/purchase.dto';
import { Purchase } from './entities/purchase.entity';

export function toPurchaseDto(p: Purchase): PurchaseDto {
  return {
    id: p.id,
    customerId: p.customerId,
    orderId: p.orderId,
    amountMinor: p.amountMinor,
    refundedMinor: p.refundedMinor,
    netMinor: p.amountMinor - p.refundedMinor,
    currency: p.currency,
    status: p.status,
    channel: p.channel,
    items: p.items,
    occurredAt: p.occurredAt,
    createdAt: p.createdAt,
  };
}
