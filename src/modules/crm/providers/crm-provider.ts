/** A customer as it goes to the provider: provider field names already applied. */
export interface PushRecord {
  customerId: string;
  email: string | null;
  fields: Record<string, unknown>;
}

export interface PushResult {
  customerId: string;
  outcome: 'created' | 'updated' | 'skipped' | 'failed';
  remoteId?: string;
  error?: string;
}

/** A contact read from the provider. */
export interface RemoteContact {
  remoteId: string;
  /** Provider field name -> value. */
  fields: Record<string, unknown>;
  /** The CustomerIQ id the provider keeps for this contact, when it has one (pushed earlier). */
  customerId: string | null;
  modifiedAt: string;
}

export interface PullPage {
  contacts: RemoteContact[];
  /** Opaque position of the next page; null when this was the last. */
  nextPage: string | null;
}

/**
 * What a CRM sync needs from a provider. Implementations retry 429/5xx themselves (withRetry) and throw
 * ProviderUnavailableError when a call cannot be made; record-level refusals come back as 'failed' results.
 */
export interface CrmProvider {
  /** Records per push call (the provider's batch limit). */
  readonly pushBatchSize: number;
  push(records: PushRecord[]): Promise<PushResult[]>;
  /** Contacts modified at or after `since` (all when null), oldest first. */
  pull(since: string | null, page: string | null): Promise<PullPage>;
}
