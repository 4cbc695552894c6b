import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsPositive, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { LOYALTY_TIERS, LoyaltyTier } from '../../../shared/customer-segments';
import { Rounding, ROUNDINGS, TIER_BASES, TierBasis } from '../rules/loyalty-program.rules';

export class TierDto {
  @ApiProperty({ example: 'silver', enum: LOYALTY_TIERS })
  @IsIn(LOYALTY_TIERS)
  name: LoyaltyTier;

  @ApiProperty({ example: 1000, description: 'Qualifying points needed; the first tier must be 0 and each next one higher' })
  @IsInt() @Min(0) @Max(1_000_000_000)
  threshold: number;
}

/** The whole program (PUT replaces it). Past ledger rows and lots are never rewritten by a change. */
export class LoyaltyProgramDto {
  @ApiProperty({ example: true, description: 'false pauses earning (automatic and manual); redeem and adjust still work' })
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({ example: 1, description: 'Points per 1 unit of the base currency (1 = 1 point per dollar)' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 }) @IsPositive() @Max(10000)
  pointsPerCurrencyUnit: number;

  @ApiProperty({ example: 'floor', enum: ROUNDINGS })
  @IsIn(ROUNDINGS)
  rounding: Rounding;

  @ApiProperty({ example: 365, nullable: true, type: Number, description: 'Days a lot of earned points stays redeemable; null = never expires' })
  @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(36500)
  expiryDays: number | null;

  @ApiProperty({ example: 'lifetime', enum: TIER_BASES, description: 'lifetime: all qualifying points; rolling_12m: points of the last 12 calendar months' })
  @IsIn(TIER_BASES)
  tierBasis: TierBasis;

  @ApiProperty({
    type: TierDto,
    isArray: true,
    example: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 1000 }, { name: 'gold', threshold: 5000 }, { name: 'platinum', threshold: 10000 }],
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(LOYALTY_TIERS.length) @ValidateNested({ each: true }) @Type(() => TierDto)
  tiers: TierDto[];

  @ApiProperty({ example: 30, description: 'Days a member keeps a tier after falling below it' })
  @IsInt() @Min(0) @Max(3650)
  downgradeGraceDays: number;
}

export class LoyaltyProgramViewDto extends LoyaltyProgramDto {
  @ApiProperty({ example: false, description: 'True while the tenant runs the defaults' }) isDefault: boolean;
  @ApiProperty({ example: '2026-11-20T10:00:00.000Z', nullable: true, type: Date }) updatedAt: Date | null;
}
