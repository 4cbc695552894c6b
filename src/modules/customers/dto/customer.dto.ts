import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsPhoneNumber,
  IsString,
  Length,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CUSTOMER_STATUSES, CUSTOMER_TYPES, CustomerStatus, CustomerType } from '../entities/customer.entity';
import { IsJsonObjectWithin, MAX_ATTRIBUTES_BYTES, normaliseTags, trim, trimLower } from './customer-fields';
import { OptionalNotNull } from '../../../infra/http/optional-not-null';

export class CreateCustomerDto {
  @ApiPropertyOptional({ example: 'pos-000123', description: 'The id event publishers use; unique per tenant' })
  @IsOptional() @Transform(trim) @IsString() @Length(1, 200)
  externalId?: string;

  @ApiPropertyOptional({ example: 'jane.doe@example.com' })
  @IsOptional() @Transform(trimLower) @IsEmail() @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+14155550123', description: 'Any format with a country code; stored as E.164' })
  @IsOptional() @IsPhoneNumber(undefined, { message: 'phone must be a valid phone number with a country code, e.g. +14155550123' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Jane' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ example: 'Doe Consulting Ltd' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(200)
  companyName?: string;

  @ApiPropertyOptional({ example: 'individual', enum: CUSTOMER_TYPES, default: 'individual' })
  @IsOptional() @IsIn(CUSTOMER_TYPES)
  type?: CustomerType;

  @ApiPropertyOptional({ example: 'active', enum: CUSTOMER_STATUSES, default: 'active' })
  @IsOptional() @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ example: ['vip', 'newsletter'], type: [String], maxItems: 50 })
  @IsOptional() @Transform(normaliseTags) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: { plan: 'pro', seats: 12 }, description: 'Free-form JSON object, at most 16 KB' })
  @IsOptional() @IsJsonObjectWithin(MAX_ATTRIBUTES_BYTES)
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'web-signup' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ example: '2026-11-01T10:00:00.000Z' })
  @IsOptional() @IsISO8601({ strict: true })
  lastSeenAt?: string;
}

/** Every field optional; null clears a nullable field. `version` (or If-Match) guards against lost updates. */
export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'pos-000123', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @Length(1, 200)
  externalId?: string | null;

  @ApiPropertyOptional({ example: 'jane.doe@example.com', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trimLower) @IsEmail() @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ example: '+14155550123', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null)
  @IsPhoneNumber(undefined, { message: 'phone must be a valid phone number with a country code, e.g. +14155550123' })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'Jane', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Doe', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ example: 'Doe Consulting Ltd', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(200)
  companyName?: string | null;

  @ApiPropertyOptional({ example: 'business', enum: CUSTOMER_TYPES })
  @OptionalNotNull() @IsIn(CUSTOMER_TYPES)
  type?: CustomerType;

  @ApiPropertyOptional({ example: 'inactive', enum: CUSTOMER_STATUSES })
  @OptionalNotNull() @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ example: ['vip'], type: [String] })
  @OptionalNotNull() @Transform(normaliseTags) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: { plan: 'enterprise' } })
  @OptionalNotNull() @IsJsonObjectWithin(MAX_ATTRIBUTES_BYTES)
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'crm-import', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100)
  source?: string | null;

  @ApiPropertyOptional({ example: '2026-11-01T10:00:00.000Z', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true })
  lastSeenAt?: string | null;

  @ApiPropertyOptional({ example: 3, description: 'The version you read; a stale one answers 409. Or send If-Match.' })
  @OptionalNotNull() @IsInt() @Min(1)
  version?: number;
}

export class CustomerDto {
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) id: string;
  @ApiProperty({ example: 'pos-000123', nullable: true, type: String }) externalId: string | null;
  @ApiProperty({ example: 'jane.doe@example.com', nullable: true, type: String }) email: string | null;
  @ApiProperty({ example: '+14155550123', nullable: true, type: String }) phone: string | null;
  @ApiProperty({ example: 'Jane', nullable: true, type: String }) firstName: string | null;
  @ApiProperty({ example: 'Doe', nullable: true, type: String }) lastName: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) companyName: string | null;
  @ApiProperty({ example: 'individual', enum: CUSTOMER_TYPES }) type: CustomerType;
  @ApiProperty({ example: 'active', enum: CUSTOMER_STATUSES }) status: CustomerStatus;
  @ApiProperty({ example: ['vip'], type: [String] }) tags: string[];
  @ApiProperty({ example: { plan: 'pro' } }) attributes: Record<string, unknown>;
  @ApiProperty({ example: 'web-signup', nullable: true, type: String }) source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z', nullable: true, type: String }) lastSeenAt: Date | null;
  @ApiProperty({ example: '2026-11-02T09:30:00.000Z', nullable: true, type: String, description: 'Latest contact event' }) lastContactedAt: Date | null;
  @ApiProperty({ example: '2026-10-01T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) updatedAt: Date;
  @ApiProperty({ example: null, nullable: true, type: String }) deletedAt: Date | null;
  @ApiProperty({ example: 1 }) version: number;
}
