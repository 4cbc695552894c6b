import { randomUUID } from 'crypto';
import { BeforeInsert, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from './column-types';

/** Ids are made by the application (UUID v4) so every driver behaves the same and bulk inserts can name them. */
export abstract class UuidEntity {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  id: string;

  @BeforeInsert()
  protected assignId(): void {
    this.id ??= randomUUID();
  }
}
