import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsCurrencyCode, toCurrencyCode } from '../../../shared/intl-codes';
import { OptionalNotNull } from '../../../infra/http/optional-not-null';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class UpdateTenantSettingsDto {
  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code; money in reports is shown in it' })
  @OptionalNotNull() @Transform(toCurrencyCode) @IsString() @IsCurrencyCode()
  baseCurrency?: string;

  @ApiPropertyOptional({ example: 'Acme Coffee Roasters GmbH' })
  @OptionalNotNull() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200)
  name?: string;
}

export class TenantSettingsDto {
  @ApiProperty({ example: 'USD' })
  baseCurrency: string;
}

export class TenantDetailsDto {
  @ApiProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) id: string;
  @ApiProperty({ example: 'Acme Coffee Roasters' }) name: string;
  @ApiProperty({ example: 'acme-coffee-roasters' }) slug: string;
  @ApiProperty({ type: TenantSettingsDto }) settings: TenantSettingsDto;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-01-02T00:00:00.000Z' }) updatedAt: Date;
}
