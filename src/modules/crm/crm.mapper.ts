import { CrmConnectionDto, CrmSyncRunDto } from './dto/crm-connection.dto';
import { CrmConnection } from './entities/crm-connection.entity';
import { CrmSyncRun } from './entities/crm-sync-run.entity';

/** The API view of a connection: which credential fields are set, never their values. */
export function toConnectionDto(c: CrmConnection): CrmConnectionDto {
  return {
    id: c.id,
    name: c.name,
    provider: c.provider,
    credentialFields: c.credentialFields,
    options: c.options,
    fieldMapping: c.fieldMapping,
    direction: c.direction,
    schedule: c.schedule,
    nextRunAt: c.nextRunAt,
    active: c.active,
    lastSyncAt: c.lastSyncAt,
    lastRunStatus: c.lastRunStatus,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function toRunDto(r: CrmSyncRun): CrmSyncRunDto {
  return {
    id: r.id,
    connectionId: r.connectionId,
    jobId: r.jobId,
    mode: r.mode,
    triggeredBy: r.triggeredBy,
    status: r.status,
    created: r.createdCount,
    updated: r.updatedCount,
    skipped: r.skippedCount,
    failed: r.failedCount,
    errors: r.errors,
    message: r.message,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    createdAt: r.createdAt,
  };
}
