import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto, PageQueryDto } from '../../../infra/http/pagination.dto';
import { PURCHASE_STATUSES, PurchaseStatus } from '../entities/purchase.entity';

export class PurchaseItemDto {
  @ApiProperty({ example: 'MUG-1' }) sku: string;
  @ApiProperty({ example: 'Mug' }) name: string;
  @ApiProperty({ example: 2 }) quantity: number;
  @ApiProperty({ example: 1250, description: 'Minor units' }) unitPrice: number;
}

export class PurchaseDto {
  @ApiProperty({ example: '3f1c2d9e-8a4b-4c6d-9e2f-1a2b3c4d5e6f' }) id: string;
  @ApiProperty({ example: '0b8e7f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b' }) customerId: string;
  @ApiProperty({ example: 'ORD-1001' }) orderId: string;
  @ApiProperty({ example: 4999, description: 'Gross amount, minor units of currency' }) amountMinor: number;
  @ApiProperty({ example: 1000, description: 'Refunded so far, minor units' }) refundedMinor: number;
  @ApiProperty({ example: 3999, description: 'amountMinor - refundedMinor' }) netMinor: number;
  @ApiProperty({ example: 'USD', description: 'ISO 4217; always the tenant base currency' }) currency: string;
  @ApiProperty({ example: 'partially_refunded', enum: PURCHASE_STATUSES }) status: PurchaseStatus;
  @ApiProperty({ example: 'web', nullable: true, type: String }) channel: string | null;
  @ApiProperty({ type: PurchaseItemDto, isArray: true }) items: PurchaseItemDto[];
  @ApiProperty({ example: '2026-11-02T10:15:00.000Z' }) occurredAt: Date;
  @ApiProperty({ example: '2026-11-02T10:15:01.000Z' }) createdAt: Date;
}

export class PurchasePageDto {
  @ApiProperty({ type: PurchaseDto, isArray: true }) data: PurchaseDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

/** Newest first; limit and cursor as every page. */
export class ListPurchasesQueryDto extends PageQueryDto {}
