import { randomUUID } from 'crypto';
import { faker } from '@faker-js/faker';
import type { Address } from '../../src/modules/customers/entities/address.entity';
import type { CustomerTag } from '../../src/modules/customers/entities/customer-tag.entity';
import type { Customer } from '../../src/modules/customers/entities/customer.entity';
import type { Note } from '../../src/modules/notes/entities/note.entity';
import type { ConsentChange } from '../../src/modules/preferences/entities/consent-change.entity';
import type { CustomerPreferences } from '../../src/modules/preferences/entities/customer-preferences.entity';

/** The stored columns of an entity (public, non-method properties; relations left out). */
export type Row<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K] };

export interface DemoCustomerRows {
  customer: Row<Customer>;
  tags: Array<Row<CustomerTag>>;
  addresses: Array<Row<Address>>;
  notes: Array<Row<Note>>;
  preferences: Row<CustomerPreferences> | null;
  consents: Array<Row<ConsentChange>>;
}

/** What the rows must go through to look exactly like API-made ones (normalisation lives in the customers module). */
export interface DemoNormalisers {
  searchTextOf: (c: Pick<Customer, 'firstName' | 'lastName' | 'email' | 'phone' | 'companyName' | 'externalId'>) => string;
  normalisePhone: (phone: string) => string | null;
}

const TAGS = ['vip', 'newsletter', 'wholesale', 'churn-risk', 'b2b', 'loyalty', 'beta', 'referral', 'mobile', 'event-2024'];
const SOURCES = ['web-signup', 'pos', 'import', 'mobile-app', 'partner', 'support'];
const NOTE_TYPES = ['personal', 'preference', 'issue', 'feedback', 'observation'] as const;
const LANGUAGES = ['en', 'en-GB', 'de', 'fr', 'es', 'it', 'nl', 'pt-BR'];
const DAY = 86400000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const chance = (p: number): boolean => Math.random() < p;
const between = (from: number, to: number): Date => new Date(from + Math.random() * Math.max(0, to - from));
const lettersOnly = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');

/**
 * Pools of faker values, made once: picking from them keeps a million customers fast while still varied.
 * Phones go through the API's normaliser, so only valid E.164 numbers are kept.
 */
export class DemoPools {
  readonly firstNames = Array.from({ length: 3000 }, () => faker.person.firstName());
  readonly lastNames = Array.from({ length: 3000 }, () => faker.person.lastName());
  readonly companies = Array.from({ length: 2000 }, () => faker.company.name());
  readonly domains = Array.from({ length: 200 }, () => faker.internet.domainName().toLowerCase());
  readonly streets = Array.from({ length: 3000 }, () => faker.location.streetAddress());
  readonly secondary = Array.from({ length: 300 }, () => faker.location.secondaryAddress());
  readonly places = Array.from({ length: 1000 }, () => ({
    city: faker.location.city(),
    region: faker.location.state({ abbreviated: true }),
    postalCode: faker.location.zipCode('#####'),
    latitude: faker.location.latitude({ precision: 4 }),
    longitude: faker.location.longitude({ precision: 4 }),
  }));
  readonly noteBodies = Array.from({ length: 2000 }, () => faker.lorem.sentences({ min: 1, max: 4 }));
  readonly timeZones = Array.from({ length: 100 }, () => faker.location.timeZone());
  readonly phones: string[];

  constructor(normalisePhone: (p: string) => string | null) {
    const phones = new Set<string>();
    for (let i = 0; phones.size < 20000 && i < 100000; i++) {
      const p = normalisePhone(faker.phone.number({ style: 'international' }));
      if (p) phones.add(p);
    }
    this.phones = [...phones];
  }
}

/**
 * One demo customer and everything it owns. `n` makes email and externalId unique within the tenant;
 * `authorId` is the user notes are attributed to.
 */
export function demoCustomer(n: number, tenantId: string, authorId: string, pools: DemoPools, norm: DemoNormalisers, now = Date.now()): DemoCustomerRows {
  const id = randomUUID();
  const business = chance(0.15);
  const firstName = pick(pools.firstNames);
  const lastName = pick(pools.lastNames);
  const companyName = business ? pick(pools.companies) : chance(0.1) ? pick(pools.companies) : null;
  const createdAt = between(now - 730 * DAY, now - DAY);
  const updatedAt = between(createdAt.getTime(), now);
  const tags = [...new Set(Array.from({ length: Math.floor(Math.random() * 4) }, () => pick(TAGS)))];
  const fields = {
    firstName,
    lastName,
    companyName,
    // Lower-case like the API's DTO transform; the counter keeps it unique per tenant.
    email: chance(0.95) ? `${lettersOnly(firstName)}.${lettersOnly(lastName)}.${n}@${pick(pools.domains)}` : null,
    phone: chance(0.8) ? pick(pools.phones) : null,
    externalId: chance(0.5) ? `crm-${String(n).padStart(7, '0')}` : null,
  };
  const customer: Row<Customer> = {
    id,
    tenantId,
    ...fields,
    type: business ? 'business' : 'individual',
    status: chance(0.85) ? 'active' : chance(0.67) ? 'inactive' : 'blocked',
    tags,
    lastContactedAt: null,
    attributes: business ? { plan: pick(['free', 'pro', 'enterprise']), seats: faker.number.int({ min: 1, max: 500 }) } : chance(0.3) ? { plan: pick(['free', 'pro']) } : {},
    source: chance(0.9) ? pick(SOURCES) : null,
    searchText: norm.searchTextOf(fields),
    lastSeenAt: chance(0.7) ? between(createdAt.getTime(), now) : null,
    createdAt,
    updatedAt,
    deletedAt: null,
    version: 1,
  };
  return {
    customer,
    tags: tags.map((tag) => ({ customerId: id, tag, tenantId })),
    addresses: demoAddresses(id, tenantId, createdAt, pools),
    notes: Array.from({ length: Math.floor(Math.random() * 4) }, () => {
      const at = between(createdAt.getTime(), now);
      const byUser = chance(0.8);
      return {
        id: randomUUID(), tenantId, customerId: id, type: pick(NOTE_TYPES), body: pick(pools.noteBodies), pinned: chance(0.1),
        authorId: byUser ? authorId : null, source: byUser ? null : 'event', createdAt: at, updatedAt: at,
      };
    }),
    ...demoPreferences(id, tenantId, createdAt, pools, now),
  };
}

function demoAddresses(customerId: string, tenantId: string, createdAt: Date, pools: DemoPools): Array<Row<Address>> {
  const count = chance(0.6) ? (chance(0.3) ? 2 : 1) : 0;
  const types = ['shipping', 'billing'] as const;
  return Array.from({ length: count }, (_, i) => {
    const place = pick(pools.places);
    const located = chance(0.5);
    return {
      id: randomUUID(), tenantId, customerId, type: types[i], line1: pick(pools.streets), line2: chance(0.2) ? pick(pools.secondary) : null,
      city: place.city, region: place.region, postalCode: place.postalCode, country: 'US',
      latitude: located ? place.latitude : null, longitude: located ? place.longitude : null,
      isDefault: true, createdAt, updatedAt: createdAt,
    };
  });
}

function demoPreferences(customerId: string, tenantId: string, createdAt: Date, pools: DemoPools, now: number): Pick<DemoCustomerRows, 'preferences' | 'consents'> {
  if (!chance(0.6)) return { preferences: null, consents: [] };
  const channels = { email: chance(0.9), sms: chance(0.4), call: chance(0.2), push: chance(0.3) };
  const enabled = (Object.keys(channels) as Array<keyof typeof channels>).filter((c) => channels[c]);
  const granted = chance(0.55);
  const at = between(createdAt.getTime(), now);
  const source = pick(SOURCES);
  return {
    preferences: {
      customerId, tenantId, channels, preferredChannel: enabled.length ? pick(enabled) : null, doNotContact: chance(0.03),
      marketingConsent: granted ? { granted, source, at: at.toISOString() } : { granted: false, source: null, at: null },
      language: chance(0.7) ? pick(LANGUAGES) : null, timezone: chance(0.6) ? pick(pools.timeZones) : null,
      quietHours: chance(0.3) ? { start: '22:00', end: '07:00' } : null, custom: {}, updatedAt: at, version: 1,
    },
    // A granted consent has the history entry the API would have written.
    consents: granted ? [{ id: randomUUID(), tenantId, customerId, granted: true, source, at, changedBy: null, createdAt: at }] : [],
  };
}
