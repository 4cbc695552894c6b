import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import type { HealthBands, HealthPenalties, HealthTargets, HealthWeights } from '../health-score.model';

/** One version of a tenant's health model; rows are never changed, a change is a new version. */
@Entity('health_score_configs')
@Index('uq_health_score_configs_tenant_version', ['tenantId', 'version'], { unique: true })
export class HealthScoreConfig extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: COLUMN.json })
  weights: HealthWeights;

  @Column({ type: COLUMN.json })
  targets: HealthTargets;

  @Column({ type: COLUMN.json })
  penalties: HealthPenalties;

  @Column({ type: 'int' })
  windowDays: number;

  @Column({ type: COLUMN.json })
  bands: HealthBands;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}
