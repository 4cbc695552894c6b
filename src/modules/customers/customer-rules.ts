import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomerFieldChanges } from './customer.events';
import { Customer } from './entities/customer.entity';

// Customer rules that need no database: phone numbers, change lists and the errors CustomersService answers with.

const TRACKED_FIELDS = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'type', 'status', 'tags', 'attributes', 'source', 'lastSeenAt'] as const;

export function normalisePhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.isValid()) throw AppError.validation('phone', 'must be a valid phone number with a country code, e.g. +14155550123');
  return parsed.number;
}

/** Another customer (deleted ones too) holds this email or external id. */
export function duplicateCustomer(existing: Customer, email: string | null | undefined, externalId: string | null | undefined): AppError {
  const field = email && existing.email === email ? 'email' : 'externalId';
  const value = field === 'email' ? email : externalId;
  return new AppError(ErrorCode.CUSTOMER_EXISTS, `A customer with this ${field} already exists`, {
    field,
    value,
    existingId: existing.id,
    deleted: existing.deletedAt !== null,
  });
}

/** The version the client sent (If-Match) is not the stored one. */
export function staleVersion(id: string, expected: number, current: number): AppError {
  return new AppError(ErrorCode.VERSION_CONFLICT, `Customer ${id} was changed by someone else (you sent version ${expected}, it is at ${current})`, {
    expectedVersion: expected,
    currentVersion: current,
  });
}

/** The tracked fields a patch changes, with their old and new values. */
export function diff(current: Customer, patch: Partial<Customer>): CustomerFieldChanges {
  const changes: CustomerFieldChanges = {};
  for (const key of TRACKED_FIELDS) {
    if (!(key in patch)) continue;
    const from = current[key];
    const to = patch[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
