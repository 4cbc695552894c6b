import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { User } from './user.entity';

/** One row per issued refresh token; a family is one login's chain of rotations. */
@Entity('refresh_tokens')
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_refresh_tokens_family', ['familyId'])
export class RefreshToken extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_refresh_tokens_user' })
  user?: User;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  familyId: string;

  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: COLUMN.timestamp })
  expiresAt: Date;

  @Column({ type: COLUMN.timestamp, nullable: true })
  usedAt: Date | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}
