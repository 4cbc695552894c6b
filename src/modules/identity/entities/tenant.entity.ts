import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { COLUMN } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';

export interface TenantSettings {
  baseCurrency?: string;
  [key: string]: unknown;
}

@Entity('tenants')
@Index('uq_tenants_slug', ['slug'], { unique: true })
export class Tenant extends UuidEntity {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 80 })
  slug: string;

  @Column({ type: COLUMN.json })
  settings: TenantSettings;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
