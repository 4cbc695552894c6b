import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotIn, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { PageInfoDto } from '../../../infra/http/pagination.dto';
import { LOYALTY_TIERS, LoyaltyTier } from '../../../shared/customer-segments';
import { LOYALTY_TRANSACTION_TYPES, LoyaltyTransactionType } from '../entities/loyalty-transaction.entity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const MAX_POINTS = 10_000_000;

/** Body of earn and redeem. */
export class PointsChangeDto {
  @ApiProperty({ example: 250, minimum: 1, maximum: MAX_POINTS, description: 'A positive whole number' })
  @IsInt({ message: 'points must be a whole number' }) @Min(1, { message: 'points must be at least 1' }) @Max(MAX_POINTS)
  points: number;

  @ApiProperty({ example: 'Birthday bonus' })
  @Transform(trim) @IsString() @Length(1, 200)
  reason: string;

  @ApiPropertyOptional({ example: 'CAMPAIGN-2026-11', description: 'Your reference (order, campaign, ticket)' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(200)
  reference?: string;
}

/** Body of adjust (admin): a signed correction. */
export class PointsAdjustDto {
  @ApiProperty({ example: -40, description: 'Non-zero whole number; negative takes points away (never below zero)' })
  @IsInt({ message: 'points must be a whole number' }) @IsNotIn([0], { message: 'points must not be 0' }) @Min(-MAX_POINTS) @Max(MAX_POINTS)
  points: number;

  @ApiProperty({ example: 'Correction of ticket #4411' })
  @Transform(trim) @IsString() @Length(1, 200)
  reason: string;

  @ApiPropertyOptional({ example: 'TICKET-4411' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(200)
  reference?: string;
}

export class LoyaltyTransactionDto {
  @ApiProperty({ example: '5b1d0f7e-3c2a-4e8b-9f6d-2a1b0c9d8e7f' }) id: string;
  @ApiProperty({ example: 12, description: 'Position in the customer ledger' }) seq: number;
  @ApiProperty({ example: 'earn', enum: LOYALTY_TRANSACTION_TYPES }) type: LoyaltyTransactionType;
  @ApiProperty({ example: 250, description: 'Signed change of the balance' }) points: number;
  @ApiProperty({ example: 1320 }) balanceAfter: number;
  @ApiProperty({ example: 250, description: 'Signed effect on tier qualification' }) qualifyingPoints: number;
  @ApiProperty({ example: 0, description: 'reverse: points the refund could not take back' }) shortfall: number;
  @ApiProperty({ example: 'purchase', nullable: true, type: String }) reason: string | null;
  @ApiProperty({ example: 'ORD-1001', nullable: true, type: String }) reference: string | null;
  @ApiProperty({ example: '2026-11-02T10:15:00.000Z', description: 'When it took effect (an expiry: the lot expiresAt)' }) occurredAt: Date;
  @ApiProperty({ example: '2026-11-02T10:15:00.000Z' }) createdAt: Date;
}

export class LoyaltyTransactionPageDto {
  @ApiProperty({ type: LoyaltyTransactionDto, isArray: true }) data: LoyaltyTransactionDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class PointsChangeResultDto {
  @ApiProperty({ type: LoyaltyTransactionDto }) transaction: LoyaltyTransactionDto;
  @ApiProperty({ example: 1320 }) balance: number;
  @ApiProperty({ example: 'silver', enum: LOYALTY_TIERS }) tier: LoyaltyTier;
}

export class ExpiringPointsDto {
  @ApiProperty({ example: 120 }) points: number;
  @ApiProperty({ example: '2026-12-01T10:00:00.000Z' }) expiresAt: Date;
}

export class PendingDowngradeDto {
  @ApiProperty({ example: '2026-12-15T08:00:00.000Z', description: 'When the tier drops unless points recover' }) at: Date;
}

export class LoyaltySummaryDto {
  @ApiProperty({ example: '0b8e7f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b' }) customerId: string;
  @ApiProperty({ example: true }) programEnabled: boolean;
  @ApiProperty({ example: 1320, description: 'Redeemable points now' }) balance: number;
  @ApiProperty({ example: 'silver', enum: LOYALTY_TIERS }) tier: LoyaltyTier;
  @ApiProperty({ example: 'gold', enum: LOYALTY_TIERS, nullable: true }) nextTier: LoyaltyTier | null;
  @ApiProperty({ example: 3680, nullable: true, type: Number }) pointsToNextTier: number | null;
  @ApiProperty({ example: 1320, description: 'Qualifying points the tier is based on now (per the program tierBasis)' }) qualifyingPoints: number;
  @ApiProperty({ example: 2400, description: 'All points ever earned or adjusted, minus refunds' }) lifetimeEarned: number;
  @ApiProperty({ type: ExpiringPointsDto, isArray: true, description: 'Points expiring in the next 30 days' }) expiringSoon: ExpiringPointsDto[];
  @ApiProperty({ type: PendingDowngradeDto, nullable: true }) pendingDowngrade: PendingDowngradeDto | null;
}

export class TierChangeDto {
  @ApiProperty({ example: 'silver', enum: LOYALTY_TIERS }) fromTier: string;
  @ApiProperty({ example: 'gold', enum: LOYALTY_TIERS }) toTier: string;
  @ApiProperty({ example: 'upgrade', enum: ['upgrade', 'downgrade', 'program_change'] }) reason: string;
  @ApiProperty({ example: 5020 }) qualifyingPoints: number;
  @ApiProperty({ example: '2026-11-02T10:15:00.000Z' }) effectiveAt: Date;
}

export class TierChangePageDto {
  @ApiProperty({ type: TierChangeDto, isArray: true }) data: TierChangeDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
