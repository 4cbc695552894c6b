import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageInfoDto } from '../../../infra/http/pagination.dto';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

const EVENT_CHOICES = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS];

export class WebhookFilterDto {
  @ApiPropertyOptional({ example: '6f1c2b9e-8a51-4f0e-9d7c-3a2b1c0d9e8f', description: 'Only events about customers in this segment' })
  @IsOptional() @IsString() @Length(1, 100)
  segmentId?: string;

  @ApiPropertyOptional({ example: 'gold', description: 'Only events about customers in this loyalty tier' })
  @IsOptional() @IsString() @Length(1, 64)
  tier?: string;
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/customeriq', description: 'https in production; must resolve to a public address' })
  @IsString() @MaxLength(2000)
  @IsUrl({ require_protocol: true, require_tld: false, protocols: ['http', 'https'] }, { message: 'url must be an absolute http(s) URL' })
  url: string;

  @ApiProperty({ example: ['customer.created', 'purchase.recorded'], description: `Event types, or ["*"] for all: ${EVENT_CHOICES.join(', ')}`, type: [String] })
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(50)
  @IsIn(EVENT_CHOICES, { each: true, message: `events must contain only known event types or "*" (${EVENT_CHOICES.join(', ')})` })
  events: string[];

  @ApiPropertyOptional({ type: WebhookFilterDto })
  @IsOptional() @ValidateNested() @Type(() => WebhookFilterDto)
  filter?: WebhookFilterDto;

  @ApiPropertyOptional({ example: 'Marketing automation' })
  @IsOptional() @IsString() @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ example: true, default: true, description: 'Setting true again re-enables an endpoint that was disabled' })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {}

export class RotateSecretDto {
  @ApiPropertyOptional({ example: 1440, default: 1440, minimum: 0, maximum: 10080, description: 'Minutes the old secret keeps signing beside the new one' })
  @IsOptional() @IsInt() @Min(0) @Max(10080)
  overlapMinutes?: number;
}

export class WebhookDto {
  @ApiProperty({ example: '0b7e7c1e-2f7a-4a61-9d0c-2b7f0f4c1a11' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.com/customeriq' }) url: string;
  @ApiProperty({ example: 'Marketing automation', nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: ['customer.created'], type: [String] }) events: string[];
  @ApiProperty({ type: WebhookFilterDto, nullable: true }) filter: WebhookFilterDto | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: null, nullable: true, enum: ['gone', 'too_many_failures', 'manual'], description: 'Why the endpoint is off' })
  disabledReason: string | null;
  @ApiProperty({ example: null, nullable: true, type: Date }) disabledAt: Date | null;
  @ApiProperty({ example: 0, description: 'Deliveries in a row that used up every attempt' }) consecutiveFailures: number;
  @ApiProperty({ example: null, nullable: true, type: Date, description: 'First failed attempt since the last success' }) failingSince: Date | null;
  @ApiProperty({ example: null, nullable: true, type: Date, description: 'Until then the previous secret also signs' }) previousSecretExpiresAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) updatedAt: Date;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_2Zb9...', description: 'Shown only now; store it to verify X-CustomerIQ-Signature' })
  secret: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) data: WebhookDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
