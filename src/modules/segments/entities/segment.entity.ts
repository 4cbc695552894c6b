import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn, VersionColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import type { SegmentRule } from '../segment-rule';

/** A named rule over customers; its members are kept in segment_members. */
@Entity('segments')
@Index('uq_segments_tenant_name', ['tenantId', 'name'], { unique: true })
export class Segment extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: COLUMN.json })
  rule: SegmentRule;

  /** When membership was last recomputed for every customer. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  evaluatedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;

  @VersionColumn({ type: 'int' })
  version: number;
}
