import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageInfoDto } from '../../../infra/http/pagination.dto';
import { IsLanguageTag, IsTimeZone, toLanguageTag, toTimeZone } from '../../../shared/intl-codes';
import { Channel, CHANNELS } from '../entities/customer-preferences.entity';
import { IsStringMap, MAX_CUSTOM_KEYS, MAX_CUSTOM_KEY_LENGTH, MAX_CUSTOM_VALUE_LENGTH } from './string-map.validator';
import { OptionalNotNull } from '../../../infra/http/optional-not-null';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class ChannelFlagsDto {
  @ApiProperty({ example: true }) @IsBoolean() email: boolean;
  @ApiProperty({ example: false }) @IsBoolean() sms: boolean;
  @ApiProperty({ example: false }) @IsBoolean() call: boolean;
  @ApiProperty({ example: true }) @IsBoolean() push: boolean;
}

export class MarketingConsentInputDto {
  @ApiProperty({ example: true }) @IsBoolean()
  granted: boolean;

  @ApiPropertyOptional({ example: 'checkout-form', nullable: true, type: String, description: 'Where consent was given or withdrawn' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @Length(1, 100)
  source?: string | null;

  @ApiPropertyOptional({ example: '2026-11-01T10:00:00.000Z', nullable: true, type: String, format: 'date-time', description: 'When it happened; default now when the consent changes' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true })
  at?: string | null;
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', description: 'HH:MM, 24-hour, in the customer time zone' })
  @IsString() @Matches(HHMM, { message: 'start must be HH:MM (00:00 to 23:59)' })
  start: string;

  @ApiProperty({ example: '07:30', description: 'HH:MM; earlier than start means the window spans midnight' })
  @IsString() @Matches(HHMM, { message: 'end must be HH:MM (00:00 to 23:59)' })
  end: string;
}

/** The whole preference set (PUT replaces it). Omitted optional fields are cleared. */
export class ReplacePreferencesDto {
  @ApiProperty({ type: ChannelFlagsDto, description: 'Opt-in per channel' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ChannelFlagsDto)
  channels: ChannelFlagsDto;

  @ApiPropertyOptional({ example: 'email', enum: CHANNELS, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn(CHANNELS)
  preferredChannel?: Channel | null;

  @ApiProperty({ example: false, description: 'Overrides every channel: nothing may be sent while true' })
  @IsBoolean()
  doNotContact: boolean;

  @ApiProperty({ type: MarketingConsentInputDto, description: 'Every change is kept in the consent history' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => MarketingConsentInputDto)
  marketingConsent: MarketingConsentInputDto;

  @ApiPropertyOptional({ example: 'pt-BR', nullable: true, type: String, description: 'BCP 47 language tag; stored in canonical form' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(toLanguageTag) @IsString() @IsLanguageTag()
  language?: string | null;

  @ApiPropertyOptional({ example: 'America/Sao_Paulo', nullable: true, type: String, description: 'IANA time zone' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(toTimeZone) @IsString() @IsTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsObject() @ValidateNested() @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({
    example: { shoeSize: '42', favouriteStore: 'downtown' },
    type: 'object',
    additionalProperties: { type: 'string' },
    description: `Up to ${MAX_CUSTOM_KEYS} keys of 1-${MAX_CUSTOM_KEY_LENGTH} characters; string values up to ${MAX_CUSTOM_VALUE_LENGTH} characters`,
  })
  @IsOptional() @IsStringMap()
  custom?: Record<string, string>;

  @ApiPropertyOptional({ example: 2, description: 'The version you read (0 before the first save); a stale one answers 409. Or send If-Match.' })
  @OptionalNotNull() @IsInt() @Min(0)
  version?: number;
}

export class MarketingConsentDto {
  @ApiProperty({ example: true }) granted: boolean;
  @ApiProperty({ example: 'checkout-form', nullable: true, type: String }) source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z', nullable: true, type: String }) at: string | null;
}

export class PreferencesDto {
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId: string;
  @ApiProperty({ type: ChannelFlagsDto }) channels: ChannelFlagsDto;
  @ApiProperty({ type: ChannelFlagsDto, description: 'What may actually be used: channels, all false under doNotContact' })
  effectiveChannels: ChannelFlagsDto;
  @ApiProperty({ example: 'email', enum: CHANNELS, nullable: true }) preferredChannel: Channel | null;
  @ApiProperty({ example: false }) doNotContact: boolean;
  @ApiProperty({ type: MarketingConsentDto }) marketingConsent: MarketingConsentDto;
  @ApiProperty({ example: 'pt-BR', nullable: true, type: String }) language: string | null;
  @ApiProperty({ example: 'America/Sao_Paulo', nullable: true, type: String }) timezone: string | null;
  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours: QuietHoursDto | null;
  @ApiProperty({ example: { shoeSize: '42' } }) custom: Record<string, string>;
  @ApiProperty({ example: 2, description: '0 while the defaults have never been saved; ETag carries it' }) version: number;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z', nullable: true, type: String }) updatedAt: Date | null;
}

export class ConsentChangeDto {
  @ApiProperty({ example: '9a7b1c2d-0000-4000-8000-000000000001' }) id: string;
  @ApiProperty({ example: true }) granted: boolean;
  @ApiProperty({ example: 'checkout-form', nullable: true, type: String }) source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) at: Date;
  @ApiProperty({ example: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', nullable: true, type: String, description: 'The user who recorded it' })
  changedBy: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:01.000Z' }) createdAt: Date;
}

export class ConsentHistoryPageDto {
  @ApiProperty({ type: ConsentChangeDto, isArray: true }) data: ConsentChangeDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
