import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsISO8601, IsOptional, IsString, Length, ValidateIf, ValidateNested } from 'class-validator';
import { PageInfoDto, PageQueryDto, toList } from '../../../infra/http/pagination.dto';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, CampaignChannel, CampaignStatus } from '../entities/campaign.entity';

export class CampaignTemplateDto {
  @ApiPropertyOptional({ example: 'Your spring offer, {{firstName}}', description: 'Required for email' })
  @IsOptional() @IsString() @Length(1, 300)
  subject?: string;

  @ApiProperty({ example: 'Hi {{firstName}}, 20% off this week.', description: 'Rendered by the receiving system' })
  @IsString() @Length(1, 20000)
  body: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Spring offer' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ example: '6f1c2b9e-8a51-4f0e-9d7c-3a2b1c0d9e8f', description: 'Segment whose members are the audience' })
  @IsString() @Length(1, 100)
  segmentId: string;

  @ApiProperty({ example: 'email', enum: CAMPAIGN_CHANNELS })
  @IsIn(CAMPAIGN_CHANNELS)
  channel: CampaignChannel;

  @ApiProperty({ type: CampaignTemplateDto })
  @IsDefined() @ValidateNested() @Type(() => CampaignTemplateDto)
  template: CampaignTemplateDto;

  @ApiPropertyOptional({ example: '2026-12-01T09:00:00.000Z', description: 'When to send; the campaign is scheduled when given, a draft otherwise' })
  @IsOptional() @IsISO8601({ strict: true })
  scheduledAt?: string;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: 'Spring offer' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: '6f1c2b9e-8a51-4f0e-9d7c-3a2b1c0d9e8f' }) @IsOptional() @IsString() @Length(1, 100) segmentId?: string;
  @ApiPropertyOptional({ example: 'sms', enum: CAMPAIGN_CHANNELS }) @IsOptional() @IsIn(CAMPAIGN_CHANNELS) channel?: CampaignChannel;
  @ApiPropertyOptional({ type: CampaignTemplateDto }) @IsOptional() @ValidateNested() @Type(() => CampaignTemplateDto) template?: CampaignTemplateDto;
  @ApiPropertyOptional({ example: '2026-12-01T09:00:00.000Z', nullable: true, description: 'null turns a scheduled campaign back into a draft' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsISO8601({ strict: true })
  scheduledAt?: string | null;
}

export class ListCampaignsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: ['scheduled'], enum: CAMPAIGN_STATUSES, isArray: true })
  @IsOptional() @Transform(toList) @IsIn(CAMPAIGN_STATUSES, { each: true })
  status?: CampaignStatus[];
}

export class CampaignDto {
  @ApiProperty({ example: '3c1d...' }) id: string;
  @ApiProperty({ example: 'Spring offer' }) name: string;
  @ApiProperty({ example: '6f1c2b9e-8a51-4f0e-9d7c-3a2b1c0d9e8f' }) segmentId: string;
  @ApiProperty({ example: 'email', enum: CAMPAIGN_CHANNELS }) channel: string;
  @ApiProperty({ type: CampaignTemplateDto }) template: CampaignTemplateDto;
  @ApiProperty({ example: '2026-12-01T09:00:00.000Z', nullable: true, type: Date }) scheduledAt: Date | null;
  @ApiProperty({ example: 'scheduled', enum: CAMPAIGN_STATUSES }) status: string;
  @ApiProperty({ example: 'campaigns.7', nullable: true, type: String, description: 'GET /api/v1/jobs/{jobId} while sending' }) jobId: string | null;
  @ApiProperty({ example: null, nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ example: null, nullable: true, type: Date }) completedAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) updatedAt: Date;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) data: CampaignDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class ExclusionCountsDto {
  @ApiProperty({ example: 4 }) doNotContact: number;
  @ApiProperty({ example: 10 }) noConsent: number;
  @ApiProperty({ example: 2 }) channelOptOut: number;
  @ApiProperty({ example: 1, description: 'No email address for email, no phone for sms' }) missingContact: number;
  @ApiProperty({ example: 0, description: 'Deleted since joining the segment' }) notFound: number;
}

export class CampaignStatsDto {
  @ApiProperty({ example: '3c1d...' }) campaignId: string;
  @ApiProperty({ example: 'sent', enum: CAMPAIGN_STATUSES }) status: string;
  @ApiProperty({ example: 120, description: 'Audience members handled so far' }) processed: number;
  @ApiProperty({ example: 103, description: 'campaign.send events emitted' }) sent: number;
  @ApiProperty({ example: 17 }) excluded: number;
  @ApiProperty({ type: ExclusionCountsDto }) excludedByReason: ExclusionCountsDto;
}

export class CampaignSendStartedDto {
  @ApiProperty({ type: CampaignDto }) campaign: CampaignDto;
  @ApiProperty({ example: 'campaigns.7' }) jobId: string;
  @ApiProperty({ example: '/api/v1/jobs/campaigns.7' }) statusUrl: string;
}
