/**
 * Text search terms per driver. Postgres: pg_trgm (ILIKE substring + word_similarity for typos) on
 * ix_customers_search_trgm. SQLite: FTS5 trigram table customers_fts (substring MATCH, OR of trigrams for typos).
 */
export function searchTextOf(c: {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  externalId?: string | null;
}): string {
  return [c.firstName, c.lastName, c.email, c.phone, c.phone?.replace(/^\+/, ''), c.companyName, c.externalId]
    .filter((s): s is string => !!s)
    .join(' ')
    .toLowerCase()
    .slice(0, 1000);
}

/** Escapes LIKE wildcards so user input matches literally (used with ESCAPE '\'). */
export function likeEscape(q: string): string {
  return q.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** FTS5 query for the trigram tokenizer: the exact phrase OR any of its trigrams (typo tolerance). */
export function fts5TrigramQuery(q: string): string | null {
  const s = q.toLowerCase().replace(/"/g, ' ').trim();
  if (s.length < 3) return null;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) {
    const g = s.slice(i, i + 3);
    if (g.trim().length === 3) grams.add(g);
  }
  const parts = [`"${s}"`, ...[...grams].map((g) => `"${g}"`)];
  return parts.join(' OR ');
}
