import { EntityManager } from 'typeorm';
import { DomainEvent } from '../../shared/domain-event';
import { LoyaltyAccount } from './entities/loyalty-account.entity';
import { LoyaltyLot } from './entities/loyalty-lot.entity';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';
import { AccountRef } from './loyalty.repository';
import { ProgramRules } from './rules/loyalty-program.rules';

/** One locked account inside one transaction. */
export interface LedgerContext {
  ref: AccountRef;
  m: EntityManager;
  account: LoyaltyAccount;
  /** Open lots, FIFO order; kept in step with the database. */
  lots: LoyaltyLot[];
  /**
   * Set by withAccounts: `lots` holds only the lots that were due for expiry and those this transaction made or
   * changed; the account's other open lots are read when points are first taken from it (LoyaltyLedger.consume).
   */
  lotsPartial?: boolean;
  program: ProgramRules;
  now: Date;
  actor: string | null;
  /** Domain events to emit once the transaction commits. */
  events: DomainEvent[];
  /** Set by withAccounts: ledger rows, lots and lot updates wait here and are written in bulk before the tier step. */
  writes?: LedgerWrites;
}

/** Writes buffered for many accounts of one transaction (withAccounts). */
export interface LedgerWrites {
  transactions: LoyaltyTransaction[];
  lots: LoyaltyLot[];
  /** Lot id -> remaining, for lots that existed before the transaction. */
  lotUpdates: Map<string, number>;
}

export interface LedgerEntry {
  reason: string | null;
  reference: string | null;
  /** Unique per tenant; a second row with it is refused by uq_loyalty_transactions_source. */
  sourceKey?: string;
}
