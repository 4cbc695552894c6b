import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { CronTime } from 'cron';
import { OutboundUrlGuard, SecretBox } from '../../infra/outbound';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { CrmRepository } from './crm.repository';
import { CreateCrmConnectionDto, UpdateCrmConnectionDto } from './dto/crm-connection.dto';
import { CrmConnection } from './entities/crm-connection.entity';
import { CrmSyncRun } from './entities/crm-sync-run.entity';
import { DEFAULT_MAPPINGS, validateMapping } from './field-mapping';
import { outboundUrls, reservedFields, validateCredentials, validateOptions, validateSchedule } from './provider-settings';

/** When a cron expression fires next after `from` (UTC). */
export function nextRunOf(schedule: string | null, from = new Date()): Date | null {
  if (!schedule) return null;
  return new CronTime(schedule, 'UTC').getNextDateFrom(from).toJSDate();
}

/** CRM connections: validating provider settings, keeping credentials sealed, schedules. */
@Injectable()
export class CrmConnectionsService {
  constructor(
    private readonly repo: CrmRepository,
    private readonly box: SecretBox,
    private readonly guard: OutboundUrlGuard,
  ) {}

  async create(tenantId: string, dto: CreateCrmConnectionDto): Promise<CrmConnection> {
    const direction = dto.direction ?? 'push';
    const credentials = validateCredentials(dto.provider, dto.credentials);
    const options = validateOptions(dto.provider, dto.options ?? {}, direction);
    const fieldMapping = validateMapping(dto.fieldMapping ?? DEFAULT_MAPPINGS[dto.provider], dto.provider, reservedFields(dto.provider, options));
    const schedule = dto.schedule ? validateSchedule(dto.schedule) : null;
    await this.assertUrls(dto.provider, credentials, options);
    const id = randomUUID();
    return this.repo.insertConnection({
      id,
      tenantId,
      name: dto.name,
      provider: dto.provider,
      credentialsSealed: this.box.seal(JSON.stringify(credentials), id),
      credentialFields: Object.keys(credentials).sort(),
      options,
      fieldMapping,
      direction,
      schedule,
      nextRunAt: nextRunOf(schedule),
      active: dto.active ?? true,
      pushCursor: null,
      pullCursor: null,
      lastSyncAt: null,
      lastRunStatus: null,
    });
  }

  async get(tenantId: string, id: string): Promise<CrmConnection> {
    const c = await this.repo.findConnection(tenantId, id);
    if (!c) throw AppError.notFound(ErrorCode.CRM_CONNECTION_NOT_FOUND, 'CRM connection', id);
    return c;
  }

  async list(tenantId: string, limit = 20, cursor?: string): Promise<Page<CrmConnection>> {
    const r = await this.repo.listConnections(tenantId, limit, cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  async update(tenantId: string, id: string, dto: UpdateCrmConnectionDto): Promise<CrmConnection> {
    const current = await this.get(tenantId, id);
    const direction = dto.direction ?? current.direction;
    const options = dto.options !== undefined || dto.direction !== undefined ? validateOptions(current.provider, dto.options ?? current.options, direction) : current.options;
    const patch: Partial<CrmConnection> = { direction, options };
    if (dto.name !== undefined) patch.name = dto.name;
    let credentials: Record<string, unknown> | null = null;
    if (dto.credentials !== undefined) {
      credentials = validateCredentials(current.provider, dto.credentials);
      patch.credentialsSealed = this.box.seal(JSON.stringify(credentials), id);
      patch.credentialFields = Object.keys(credentials).sort();
    }
    if (dto.fieldMapping !== undefined || dto.options !== undefined) {
      patch.fieldMapping = validateMapping(dto.fieldMapping ?? current.fieldMapping, current.provider, reservedFields(current.provider, options));
    }
    if (dto.schedule !== undefined) {
      patch.schedule = dto.schedule ? validateSchedule(dto.schedule) : null;
      patch.nextRunAt = nextRunOf(patch.schedule);
    }
    if (dto.active !== undefined) patch.active = dto.active;
    if (credentials || dto.options !== undefined) {
      const creds = credentials ?? (JSON.parse(this.box.open(current.credentialsSealed, id)) as Record<string, unknown>);
      await this.assertUrls(current.provider, creds, options);
    }
    await this.repo.updateConnection(id, patch);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteConnection(tenantId, id))) throw AppError.notFound(ErrorCode.CRM_CONNECTION_NOT_FOUND, 'CRM connection', id);
  }

  async listRuns(tenantId: string, connectionId: string, limit = 20, cursor?: string): Promise<Page<CrmSyncRun>> {
    await this.get(tenantId, connectionId);
    const r = await this.repo.listRuns(tenantId, connectionId, limit, cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  async getRun(tenantId: string, connectionId: string, runId: string): Promise<CrmSyncRun> {
    const run = await this.repo.findRun(tenantId, connectionId, runId);
    if (!run) throw AppError.notFound(ErrorCode.NOT_FOUND, 'Sync run', runId);
    return run;
  }

  private async assertUrls(provider: CrmConnection['provider'], credentials: Record<string, unknown>, options: Record<string, unknown>): Promise<void> {
    for (const { field, url } of outboundUrls(provider, credentials, options)) {
      const v = await this.guard.check(url);
      if (!v.ok) throw AppError.validation(field, v.reason);
    }
  }
}
