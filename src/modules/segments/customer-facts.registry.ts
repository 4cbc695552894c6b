import { Injectable } from '@nestjs/common';
import type { SqlDialect } from '../../infra/database/raw-sql';

/** Facts other modules own and contribute to segment rules and analytics. */
export const PROVIDED_FACTS = ['frequencyBand', 'tier', 'predictedClv'] as const;
export type ProvidedFact = (typeof PROVIDED_FACTS)[number];

export interface CustomerFactProvider {
  field: ProvidedFact;
  kind: 'enum' | 'number';
  /** Allowed values of an enum fact (rules naming another value are refused). */
  values?: readonly string[];
  /**
   * A SQL expression over the customer alias `c` giving the fact for that customer, NULL when unknown; it may read
   * the owner's tables by name. predictedClv is in minor units of the tenant's base currency.
   */
  expression(dialect: SqlDialect): string;
}

/**
 * Where the metrics and loyalty modules register frequencyBand, tier and predictedClv (from their onModuleInit:
 * `facts.register({ field: 'tier', kind: 'enum', values: [...], expression: () => '(SELECT ... WHERE x.customer_id = c.id)' })`).
 * Without a provider, rules on the field are refused with 400 and analytics leave it out.
 */
@Injectable()
export class CustomerFactsRegistry {
  private readonly providers = new Map<ProvidedFact, CustomerFactProvider>();

  register(provider: CustomerFactProvider): void {
    this.providers.set(provider.field, provider);
  }

  get(field: ProvidedFact): CustomerFactProvider | undefined {
    return this.providers.get(field);
  }
}
