import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { PageInfoDto } from '../../../infra/http/pagination.dto';
import { toBool } from '../../../infra/http/pagination.dto';
import { CRM_PROVIDERS, CrmProviderName, SYNC_DIRECTIONS, SyncDirection } from '../entities/crm-connection.entity';

const CREDENTIALS_DOC =
  'salesforce: {clientId, clientSecret, username?, password?, loginUrl?}; hubspot: {accessToken}; generic: {token?, headers?}. Stored encrypted, never returned.';
const OPTIONS_DOC =
  'salesforce: {sobject?=Contact, externalIdField?=CustomerIQ_Id__c, apiVersion?}; hubspot: {baseUrl?}; generic: {pushUrl, pushMethod?, pullUrl?, updatedAtField?, idField?}';

export class CreateCrmConnectionDto {
  @ApiProperty({ example: 'Sales org' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'hubspot', enum: CRM_PROVIDERS })
  @IsIn(CRM_PROVIDERS)
  provider: CrmProviderName;

  @ApiProperty({ example: { accessToken: 'pat-na1-...' }, description: CREDENTIALS_DOC })
  @IsObject()
  credentials: Record<string, unknown>;

  @ApiPropertyOptional({ example: {}, description: OPTIONS_DOC })
  @IsOptional() @IsObject()
  options?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { email: 'email', firstName: 'firstname', 'attributes.plan': 'plan' }, description: 'Customer field -> provider field; a default per provider when omitted' })
  @IsOptional() @IsObject()
  fieldMapping?: Record<string, string>;

  @ApiPropertyOptional({ example: 'both', enum: SYNC_DIRECTIONS, default: 'push' })
  @IsOptional() @IsIn(SYNC_DIRECTIONS)
  direction?: SyncDirection;

  @ApiPropertyOptional({ example: '*/15 * * * *', nullable: true, description: 'Cron (5 fields, UTC) for incremental syncs; null for manual only' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(100)
  schedule?: string | null;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

/** Everything but the provider can change; credentials given here replace the stored ones whole. */
export class UpdateCrmConnectionDto {
  @ApiPropertyOptional({ example: 'Sales org' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: { accessToken: 'pat-na1-...' }, description: CREDENTIALS_DOC }) @IsOptional() @IsObject() credentials?: Record<string, unknown>;
  @ApiPropertyOptional({ example: {}, description: OPTIONS_DOC }) @IsOptional() @IsObject() options?: Record<string, unknown>;
  @ApiPropertyOptional({ example: { email: 'email' } }) @IsOptional() @IsObject() fieldMapping?: Record<string, string>;
  @ApiPropertyOptional({ example: 'push', enum: SYNC_DIRECTIONS }) @IsOptional() @IsIn(SYNC_DIRECTIONS) direction?: SyncDirection;
  @ApiPropertyOptional({ example: '0 * * * *', nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(100) schedule?: string | null;
  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class StartSyncDto {
  @ApiPropertyOptional({ example: false, default: false, description: 'Ignore the cursors and sync everything' })
  @IsOptional() @Transform(toBool) @IsBoolean()
  full?: boolean;
}

export class CrmConnectionDto {
  @ApiProperty({ example: '5f0c...' }) id: string;
  @ApiProperty({ example: 'Sales org' }) name: string;
  @ApiProperty({ example: 'hubspot', enum: CRM_PROVIDERS }) provider: string;
  @ApiProperty({ example: ['accessToken'], type: [String], description: 'Which credential fields are set (never their values)' }) credentialFields: string[];
  @ApiProperty({ example: {} }) options: Record<string, unknown>;
  @ApiProperty({ example: { email: 'email' } }) fieldMapping: Record<string, string>;
  @ApiProperty({ example: 'both', enum: SYNC_DIRECTIONS }) direction: string;
  @ApiProperty({ example: '*/15 * * * *', nullable: true, type: String }) schedule: string | null;
  @ApiProperty({ example: '2026-11-23T10:15:00.000Z', nullable: true, type: Date }) nextRunAt: Date | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', nullable: true, type: Date }) lastSyncAt: Date | null;
  @ApiProperty({ example: 'succeeded', nullable: true, type: String }) lastRunStatus: string | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) updatedAt: Date;
}

export class CrmConnectionPageDto {
  @ApiProperty({ type: [CrmConnectionDto] }) data: CrmConnectionDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class RecordErrorDto {
  @ApiProperty({ example: 'push', enum: ['push', 'pull'] }) direction: string;
  @ApiPropertyOptional({ example: '1b2c...' }) customerId?: string;
  @ApiPropertyOptional({ example: '0035g00000abcde' }) remoteId?: string;
  @ApiPropertyOptional({ example: 'jane@example.com', nullable: true, type: String }) email?: string | null;
  @ApiProperty({ example: 'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]' }) message: string;
}

export class CrmSyncRunDto {
  @ApiProperty({ example: '7a1b...' }) id: string;
  @ApiProperty({ example: '5f0c...' }) connectionId: string;
  @ApiProperty({ example: 'crm-sync.12', nullable: true, type: String, description: 'GET /api/v1/jobs/{jobId} for progress' }) jobId: string | null;
  @ApiProperty({ example: 'incremental', enum: ['full', 'incremental'] }) mode: string;
  @ApiProperty({ example: 'manual', enum: ['manual', 'schedule'] }) triggeredBy: string;
  @ApiProperty({ example: 'partial', enum: ['queued', 'running', 'succeeded', 'partial', 'failed'] }) status: string;
  @ApiProperty({ example: 12 }) created: number;
  @ApiProperty({ example: 30 }) updated: number;
  @ApiProperty({ example: 2 }) skipped: number;
  @ApiProperty({ example: 1 }) failed: number;
  @ApiProperty({ type: [RecordErrorDto], description: 'Per-record errors (first 200)' }) errors: RecordErrorDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Why the run stopped early' }) message: string | null;
  @ApiProperty({ example: '2026-11-23T10:00:01.000Z', nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:09.000Z', nullable: true, type: Date }) finishedAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: Date;
}

export class CrmSyncRunPageDto {
  @ApiProperty({ type: [CrmSyncRunDto] }) data: CrmSyncRunDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class SyncStartedDto {
  @ApiProperty({ example: 'crm-sync.12' }) jobId: string;
  @ApiProperty({ example: '7a1b...' }) runId: string;
  @ApiProperty({ example: '/api/v1/jobs/crm-sync.12' }) statusUrl: string;
}
