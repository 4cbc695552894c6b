import { AppError } from '../../shared/app-error';

/** Parses If-Match: "3", W/"3" or 3 (the version a client read, sent back for optimistic concurrency). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw AppError.validation('If-Match', 'must be the version number (ETag) you read, e.g. "3"');
  return Number(m[1]);
}
