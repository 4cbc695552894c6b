import type { SelectQueryBuilder } from 'typeorm';
import { TYPO_SIMILARITY_THRESHOLD } from '../../shared/trigram';
import type { Customer } from './entities/customer.entity';

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

/**
 * Narrows the list query (alias `c`) to customers matching q: substring or close word similarity. Used when the
 * list is sorted by a field; relevance order on Postgres goes through postgresRelevanceSearch instead.
 */
export function applyTextSearch(qb: SelectQueryBuilder<Customer>, raw: string, driver: 'sqlite' | 'postgres' | 'mssql'): void {
  const q = raw.trim().toLowerCase();
  const like = `%${likeEscape(q)}%`;
  if (driver === 'postgres') {
    // ix_customers_search_trgm serves both the substring match and the typo-tolerant word similarity.
    qb.andWhere("(c.search_text LIKE :like ESCAPE '\\' OR :q <% c.search_text)", { like, q });
  } else if (driver === 'sqlite') {
    const fts = fts5TrigramQuery(q);
    // customers_fts narrows to rows sharing a trigram; ciq_word_similarity (src/shared/trigram.ts) keeps the close ones.
    if (fts) {
      qb.andWhere('c.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH :fts)', { fts });
      qb.andWhere(`(c.search_text LIKE :like ESCAPE '\\' OR ciq_word_similarity(:q, c.search_text) >= ${TYPO_SIMILARITY_THRESHOLD})`, { like, q });
    }
    else qb.andWhere("c.search_text LIKE :like ESCAPE '\\'", { like });
  } else {
    qb.andWhere("c.search_text LIKE :like ESCAPE '\\'", { like });
  }
}

/** Relevance order where postgresRelevanceSearch does not run: exact prefix hits first, then by similarity, newest first. */
export function orderByWordSimilarity(qb: SelectQueryBuilder<Customer>, raw: string): void {
  const q = raw.trim().toLowerCase();
  qb.addSelect(`CASE WHEN c.search_text LIKE :prefix ESCAPE '\\' THEN 0 ELSE 1 END`, 'rel_prefix').setParameter('prefix', `${likeEscape(q)}%`);
  qb.addSelect('ciq_word_similarity(:q, c.search_text)', 'rel_sim').setParameter('q', q);
  qb.orderBy('rel_prefix', 'ASC').addOrderBy('rel_sim', 'DESC').addOrderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC');
}
