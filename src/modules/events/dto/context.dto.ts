import { ApiProperty } from '@nestjs/swagger';
import { AddressDto, CustomerDto } from '../../customers';
import { CustomerEventDto } from './event.dto';

export class ContextNoteDto {
  @ApiProperty({ example: '3c2b1a09-8f7e-4d6c-b5a4-938271605f4e' }) id: string;
  @ApiProperty({ example: 'observation' }) type: string;
  @ApiProperty({ example: 'Prefers morning deliveries' }) body: string;
  @ApiProperty({ example: true }) pinned: boolean;
  @ApiProperty({ example: 'pos', nullable: true, type: String }) source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) createdAt: Date;
}

export class ContextTicketDto {
  @ApiProperty({ example: 'T-1001' }) ticketId: string;
  @ApiProperty({ example: 'Cannot log in' }) subject: string;
  @ApiProperty({ example: 'high' }) severity: string;
  @ApiProperty({ example: 'open' }) status: string;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) openedAt: Date;
}

export class ContextWorkOrderDto {
  @ApiProperty({ example: 'WO-77' }) workOrderId: string;
  @ApiProperty({ example: 'scheduled' }) status: string;
  @ApiProperty({ example: 'Boiler service', nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: 12000, nullable: true, type: Number, description: 'Minor units of currency' }) costMinor: number | null;
  @ApiProperty({ example: 'USD', nullable: true, type: String }) currency: string | null;
  @ApiProperty({ example: '2026-11-03T09:00:00.000Z', nullable: true, type: String }) scheduledAt: Date | null;
  @ApiProperty({ example: null, nullable: true, type: String }) completedAt: Date | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) openedAt: Date;
}

export class ContextPurchaseSummaryDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 3 }) orderCount: number;
  @ApiProperty({ example: 14997, description: 'Minor units' }) grossMinor: number;
  @ApiProperty({ example: 0 }) refundedMinor: number;
  @ApiProperty({ example: 14997 }) netMinor: number;
  @ApiProperty({ example: '2026-01-02T03:04:05.000Z', nullable: true, type: String }) firstPurchaseAt: Date | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z', nullable: true, type: String }) lastPurchaseAt: Date | null;
  @ApiProperty({ example: [{ orderId: 'o-1001', amountMinor: 4999, refundedMinor: 0, status: 'completed', occurredAt: '2026-11-01T10:00:00.000Z' }] })
  recent: unknown[];
}

/** Everything an agent needs on one screen. Other modules add sections (loyalty, metrics, health) by name. */
export class CustomerContextDto {
  @ApiProperty({ type: CustomerDto }) customer: CustomerDto;
  @ApiProperty({ type: [AddressDto] }) addresses: AddressDto[];
  @ApiProperty({ example: null, nullable: true, type: Object, description: 'Stored contact preferences; null when never set (opt-in defaults)' })
  preferences: Record<string, unknown> | null;
  @ApiProperty({ example: { pinned: [], recent: [] } }) notes: { pinned: ContextNoteDto[]; recent: ContextNoteDto[] };
  @ApiProperty({ type: [CustomerEventDto] }) recentEvents: CustomerEventDto[];
  @ApiProperty({ type: [ContextTicketDto] }) openTickets: ContextTicketDto[];
  @ApiProperty({ type: [ContextWorkOrderDto] }) workOrders: ContextWorkOrderDto[];
  @ApiProperty({ type: ContextPurchaseSummaryDto }) purchaseSummary: ContextPurchaseSummaryDto;
  [section: string]: unknown;
}
