import { AppError } from '../../shared/app-error';
import type { CrmProviderName } from './entities/crm-connection.entity';

/** Customer fields a mapping can name; `attributes.<key>` reaches into the free-form attributes. */
export const SYNC_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'companyName', 'externalId', 'status', 'type', 'source'] as const;
const ATTRIBUTE_KEY = /^attributes\.[A-Za-z0-9_]{1,64}$/;
/** Provider field names: API names such as Email, CustomerIQ_Id__c, firstname. */
const REMOTE_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export type FieldMapping = Record<string, string>;

export const DEFAULT_MAPPINGS: Record<CrmProviderName, FieldMapping> = {
  salesforce: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
  hubspot: { email: 'email', firstName: 'firstname', lastName: 'lastname', phone: 'phone', companyName: 'company' },
  generic: { email: 'email', firstName: 'firstName', lastName: 'lastName', phone: 'phone', companyName: 'companyName', externalId: 'externalId' },
};

export function isSyncField(field: string): boolean {
  return (SYNC_FIELDS as readonly string[]).includes(field) || ATTRIBUTE_KEY.test(field);
}

/** Checks a mapping; every problem is a 400 naming `fieldMapping.<field>`. */
export function validateMapping(mapping: unknown, provider: CrmProviderName, reserved: string[] = []): FieldMapping {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) throw AppError.validation('fieldMapping', 'must be an object of customer field -> provider field');
  const out: FieldMapping = {};
  const targets = new Set<string>();
  const entries = Object.entries(mapping as Record<string, unknown>);
  if (!entries.length) throw AppError.validation('fieldMapping', 'must map at least one field');
  for (const [field, remote] of entries) {
    if (!isSyncField(field)) {
      throw AppError.validation(`fieldMapping.${field}`, `is not a customer field (use one of ${SYNC_FIELDS.join(', ')} or attributes.<key>)`);
    }
    if (typeof remote !== 'string' || !REMOTE_FIELD.test(remote)) throw AppError.validation(`fieldMapping.${field}`, 'must be a provider field name (letters, digits, _)');
    if (targets.has(remote.toLowerCase())) throw AppError.validation(`fieldMapping.${field}`, `maps to ${remote}, which another field maps to already`);
    if (reserved.some((r) => r.toLowerCase() === remote.toLowerCase())) throw AppError.validation(`fieldMapping.${field}`, `${remote} is reserved for the CustomerIQ id`);
    targets.add(remote.toLowerCase());
    out[field] = remote;
  }
  if (provider === 'hubspot' && !out.email) throw AppError.validation('fieldMapping.email', 'HubSpot contacts are upserted by email: map email');
  return out;
}

interface CustomerLike {
  id: string;
  attributes: Record<string, unknown>;
  [field: string]: unknown;
}

/** Customer -> provider record (provider field names). Unset values are sent as null so they clear remotely. */
export function toRemote(customer: CustomerLike, mapping: FieldMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, remote] of Object.entries(mapping)) {
    const value = field.startsWith('attributes.') ? customer.attributes?.[field.slice(11)] : customer[field];
    out[remote] = value === undefined ? null : value;
  }
  return out;
}

/** Provider record -> customer fields (attributes nested), only the fields the record carries. */
export function fromRemote(record: Record<string, unknown>, mapping: FieldMapping): { fields: Record<string, unknown>; attributes: Record<string, unknown> } {
  const fields: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [field, remote] of Object.entries(mapping)) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === remote.toLowerCase());
    if (key === undefined) continue;
    const value = record[key];
    if (field.startsWith('attributes.')) attributes[field.slice(11)] = value;
    else fields[field] = value === '' ? null : value;
  }
  return { fields, attributes };
}
