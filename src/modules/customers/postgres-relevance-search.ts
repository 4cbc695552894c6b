import { SelectQueryBuilder } from 'typeorm';
import { likeEscape } from './customer-search';
import type { Customer } from './entities/customer.entity';

/** How many substring matches are ranked; a query matching more than this should be refined (or sorted by a field). */
export const SEARCH_CANDIDATES = 500;
/** How many typo-tolerant matches are added when substring matches do not fill the page. */
export const TYPO_CANDIDATES = 200;

/**
 * Relevance search on Postgres with bounded work, whatever the number of matches:
 * 1. up to SEARCH_CANDIDATES rows whose search_text contains q (LIKE on ix_customers_search_trgm; cheap to test);
 * 2. only when those cannot fill the requested page: up to TYPO_CANDIDATES rows within pg_trgm word similarity
 *    of q (the <% operator on the same index; its recheck is what is expensive, so it never runs for common terms).
 * Ranked: whole-text prefix, then word-start, then substring hits, newest first; then typo hits by similarity.
 */
export function postgresRelevanceSearch(qb: SelectQueryBuilder<Customer>, raw: string, need: number, includeDeleted: boolean): void {
  const q = raw.trim().toLowerCase();
  const e = likeEscape(q);
  const alive = includeDeleted ? '' : 'AND s.deleted_at IS NULL';
  const like = "s.search_text LIKE :srLike ESCAPE '\\'";
  qb.andWhere(
    `c.id IN (
      (SELECT s.id FROM customers s WHERE s.tenant_id = :tenantId AND ${like} ${alive} LIMIT ${SEARCH_CANDIDATES})
      UNION ALL
      (SELECT s.id FROM customers s
        WHERE s.tenant_id = :tenantId AND :srQ <% s.search_text AND NOT (${like}) ${alive}
          AND (SELECT COUNT(*) FROM (SELECT 1 FROM customers s WHERE s.tenant_id = :tenantId AND ${like} ${alive} LIMIT :srNeed) n) < :srNeed
        LIMIT ${TYPO_CANDIDATES}))`,
    { srLike: `%${e}%`, srQ: q, srNeed: need },
  );
  qb.addSelect(
    `CASE WHEN c.search_text LIKE :srPrefix ESCAPE '\\' THEN 0 WHEN c.search_text LIKE :srWord ESCAPE '\\' THEN 1
      WHEN c.search_text LIKE :srLike ESCAPE '\\' THEN 2 ELSE 3 END`,
    'rel_tier',
  );
  // word_similarity only for the few typo hits (CASE evaluates lazily).
  qb.addSelect(`CASE WHEN c.search_text LIKE :srLike ESCAPE '\\' THEN 0 ELSE 1 - word_similarity(:srQ, c.search_text) END`, 'rel_dist');
  qb.setParameters({ srPrefix: `${e}%`, srWord: `% ${e}%` });
  qb.orderBy('rel_tier', 'ASC').addOrderBy('rel_dist', 'ASC').addOrderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC');
}
