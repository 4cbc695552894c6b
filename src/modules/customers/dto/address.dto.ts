import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO31661Alpha2, IsLatitude, IsLongitude, IsNumber, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ADDRESS_TYPES, AddressType } from '../entities/address.entity';
import { trim } from './customer-fields';
import { OptionalNotNull } from '../../../infra/http/optional-not-null';

const upper = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class CreateAddressDto {
  @ApiProperty({ example: 'shipping', enum: ADDRESS_TYPES }) @IsIn(ADDRESS_TYPES)
  type: AddressType;

  @ApiProperty({ example: '1 Market St' }) @Transform(trim) @IsString() @Length(1, 200)
  line1: string;

  @ApiPropertyOptional({ example: 'Suite 400', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(200)
  line2?: string | null;

  @ApiProperty({ example: 'San Francisco' }) @Transform(trim) @IsString() @Length(1, 100)
  city: string;

  @ApiPropertyOptional({ example: 'CA', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100)
  region?: string | null;

  @ApiPropertyOptional({ example: '94105', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(20)
  postalCode?: string | null;

  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2' }) @Transform(upper) @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as US' })
  country: string;

  @ApiPropertyOptional({ example: 37.7936, minimum: -90, maximum: 90, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber() @IsLatitude()
  latitude?: number | null;

  @ApiPropertyOptional({ example: -122.3958, minimum: -180, maximum: 180, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber() @IsLongitude()
  longitude?: number | null;

  @ApiPropertyOptional({ example: true, description: 'One default per type; setting it clears the previous default' })
  @IsOptional() @IsBoolean()
  isDefault?: boolean;
}

export class UpdateAddressDto {
  @ApiPropertyOptional({ example: 'billing', enum: ADDRESS_TYPES }) @OptionalNotNull() @IsIn(ADDRESS_TYPES)
  type?: AddressType;
  @ApiPropertyOptional({ example: '2 Market St' }) @OptionalNotNull() @Transform(trim) @IsString() @Length(1, 200)
  line1?: string;
  @ApiPropertyOptional({ example: null, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(200)
  line2?: string | null;
  @ApiPropertyOptional({ example: 'Oakland' }) @OptionalNotNull() @Transform(trim) @IsString() @Length(1, 100)
  city?: string;
  @ApiPropertyOptional({ example: 'CA', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100)
  region?: string | null;
  @ApiPropertyOptional({ example: '94607', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(20)
  postalCode?: string | null;
  @ApiPropertyOptional({ example: 'US' }) @OptionalNotNull() @Transform(upper) @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as US' })
  country?: string;
  @ApiPropertyOptional({ example: 37.8, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber() @IsLatitude()
  latitude?: number | null;
  @ApiPropertyOptional({ example: -122.27, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber() @IsLongitude()
  longitude?: number | null;
  @ApiPropertyOptional({ example: false }) @OptionalNotNull() @IsBoolean()
  isDefault?: boolean;
}

export class AddressDto {
  @ApiProperty({ example: 'a1b2c3d4-0000-4000-8000-000000000001' }) id: string;
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId: string;
  @ApiProperty({ example: 'shipping', enum: ADDRESS_TYPES }) type: AddressType;
  @ApiProperty({ example: '1 Market St' }) line1: string;
  @ApiProperty({ example: 'Suite 400', nullable: true, type: String }) line2: string | null;
  @ApiProperty({ example: 'San Francisco' }) city: string;
  @ApiProperty({ example: 'CA', nullable: true, type: String }) region: string | null;
  @ApiProperty({ example: '94105', nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ example: 'US' }) country: string;
  @ApiProperty({ example: 37.7936, nullable: true, type: Number }) latitude: number | null;
  @ApiProperty({ example: -122.3958, nullable: true, type: Number }) longitude: number | null;
  @ApiProperty({ example: true }) isDefault: boolean;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) updatedAt: Date;
}
