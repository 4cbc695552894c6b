import { SelectQueryBuilder } from 'typeorm';
import type { EntityRowLoader } from '../../infra/database';
import { likeEscape } from './customer-search';
import type { Customer } from './entities/customer.entity';

/**
 * How many substring matches are ranked; a query matching more than this should be refined (or sorted by a field).
 * Each one is a heap read for the index scan: 500 -> 200 -> 100 took search at a million customers from 215 to
 * 377 to 472 req/s (bench:http); beyond the first page of a short fragment, the ranked subset is arbitrary anyway.
 */
export const SEARCH_CANDIDATES = 100;
/** How many typo-tolerant matches are added when substring matches do not fill the page. */
export const TYPO_CANDIDATES = 200;

/**
 * Relevance search on Postgres with bounded work, whatever the number of matches. `filtered` is the list query
 * with the tenant and every other filter (status, tags, spend...) on alias `c`; the candidates obey them too.
 * 1. up to SEARCH_CANDIDATES rows whose search_text contains q (LIKE on ix_customers_search_trgm; cheap to test);
 * 2. only when those cannot fill the requested page: up to TYPO_CANDIDATES rows within pg_trgm word similarity
 *    of q (the <% operator on the same index; its recheck is what is expensive, so it never runs for common terms).
 * Ranked: whole-text prefix, then word-start, then substring hits, newest first; then typo hits by similarity.
 * The rank is computed on the rows the index scan already read, and the page comes from those same rows (fetching
 * every candidate again by primary key was most of the cost at a million customers).
 * The typo pass is a second statement, sent only when the first one comes back short: planning the <% operator
 * alone costs milliseconds (its estimate runs word_similarity over the column statistics).
 * Resolves to rows offset .. offset + take - 1 in rank order.
 */
export async function postgresRelevanceSearch(
  filtered: SelectQueryBuilder<Customer>, raw: string, offset: number, take: number, rows: EntityRowLoader<Customer>,
): Promise<Customer[]> {
  const q = raw.trim().toLowerCase();
  const e = likeEscape(q);
  const like = "c.search_text LIKE :srLike ESCAPE '\\'";
  // Candidates carry every column: the index scan has read their rows already, so the page needs no second lookup.
  const candidates = (tier: string, dist: string) =>
    filtered.clone().select(rows.selectList('c')).addSelect(tier, 'rel_tier').addSelect(dist, 'rel_dist');
  const substring = candidates(
    `CASE WHEN c.search_text LIKE :srPrefix ESCAPE '\\' THEN 0 WHEN c.search_text LIKE :srWord ESCAPE '\\' THEN 1 ELSE 2 END`,
    '0::float8',
  )
    .andWhere(like)
    .limit(SEARCH_CANDIDATES)
    .getQuery();
  const params = { ...filtered.getParameters(), srLike: `%${e}%`, srPrefix: `${e}%`, srWord: `% ${e}%`, srQ: q, srNeed: offset + take };
  const page = async (candidatesSql: string): Promise<Customer[]> => {
    const ranked = `${candidatesSql} ORDER BY r.rel_tier ASC, r.rel_dist ASC, r.created_at DESC, r.id DESC OFFSET ${offset} LIMIT ${take}`;
    const [sql, values] = filtered.connection.driver.escapeQueryWithParameters(ranked, params, {});
    return ((await filtered.connection.query(sql, values)) as Array<Record<string, unknown>>).map((r) => rows.hydrate(r));
  };
  const first = await page(`SELECT * FROM (${substring}) r`);
  if (first.length === take) return first;
  const typo = candidates('3', '1 - word_similarity(:srQ, c.search_text)')
    .andWhere(`:srQ <% c.search_text AND NOT (${like})`)
    // Only when fewer substring matches pass the filters than the page needs (the CTE is read, not rescanned).
    .andWhere('(SELECT COUNT(*) FROM ciq_sub) < :srNeed')
    .limit(TYPO_CANDIDATES);
  return page(`WITH ciq_sub AS MATERIALIZED (${substring})
    SELECT * FROM (SELECT * FROM ciq_sub UNION ALL (${typo.getQuery()})) r`);
}
