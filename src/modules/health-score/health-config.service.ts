import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { AppError, ErrorCode } from '../../shared/app-error';
import { HealthConfigDto, UpdateHealthConfigDto } from './dto/health-config.dto';
import { HealthScoreConfig } from './entities/health-score-config.entity';
import { DEFAULT_HEALTH_MODEL, HealthModel, modelErrors } from './health-score.model';
import { HealthScoreRepository } from './health-score.repository';

export type VersionedModel = HealthModel & { version: number };

/** Per-tenant health model configuration; every change is a new immutable version. */
@Injectable()
export class HealthConfigService {
  constructor(private readonly repo: HealthScoreRepository) {}

  /** The tenant's latest model; a tenant that never changed it gets the default stored as version 1. */
  async current(tenantId: string): Promise<VersionedModel> {
    const latest = (await this.repo.latestConfig(tenantId)) ?? (await this.repo.insertConfigIfAbsent({ tenantId, version: 1, ...DEFAULT_HEALTH_MODEL, createdBy: null }));
    return toModel(latest);
  }

  async version(tenantId: string, version: number): Promise<VersionedModel | null> {
    const row = await this.repo.configVersion(tenantId, version);
    return row ? toModel(row) : null;
  }

  async get(tenantId: string): Promise<HealthConfigDto> {
    await this.current(tenantId);
    return toDto((await this.repo.latestConfig(tenantId))!);
  }

  async versions(tenantId: string): Promise<HealthConfigDto[]> {
    await this.current(tenantId);
    return (await this.repo.listConfigs(tenantId)).map(toDto);
  }

  /** Validates the whole model and stores it as the next version; nothing is stored when it is invalid. */
  async update(tenantId: string, dto: UpdateHealthConfigDto, userId: string | null): Promise<HealthConfigDto> {
    const model: HealthModel = {
      weights: { usage: dto.weights.usage, engagement: dto.weights.engagement, incidents: dto.weights.incidents },
      targets: { apiCalls: dto.targets.apiCalls, logins: dto.targets.logins },
      penalties: { critical: dto.penalties.critical, high: dto.penalties.high, medium: dto.penalties.medium, low: dto.penalties.low },
      windowDays: dto.windowDays,
      bands: { healthy: dto.bands.healthy, atRisk: dto.bands.atRisk },
    };
    const errors = modelErrors(model);
    if (errors.length) throw new AppError(ErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const base = await this.current(tenantId);
    // Two concurrent updates may pick the same next version: the unique index lets one win, the other retries.
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = (attempt === 0 ? base.version : (await this.current(tenantId)).version) + 1;
      const id = randomUUID();
      const stored = await this.repo.insertConfigIfAbsent({ id, tenantId, version: next, ...model, createdBy: userId });
      if (stored.id === id) return toDto(stored);
    }
    throw new AppError(ErrorCode.CONFLICT, 'The health-score configuration is being changed concurrently; try again');
  }
}

function toModel(c: HealthScoreConfig): VersionedModel {
  return { version: c.version, weights: c.weights, targets: c.targets, penalties: c.penalties, windowDays: c.windowDays, bands: c.bands };
}

function toDto(c: HealthScoreConfig): HealthConfigDto {
  return { ...toModel(c), createdBy: c.createdBy, createdAt: c.createdAt.toISOString() };
}
