import Fastify from 'fastify';
import { Pool } from 'pg';
import { likeEscape } from '../../src/modules/customers/customer-search';
import { SEARCH_CANDIDATES, TYPO_CANDIDATES } from '../../src/modules/customers/postgres-relevance-search';

/**
 * The baseline for bench:http: bare fastify + pg running the same queries the app runs for
 * GET /api/v1/customers/:id and GET /api/v1/customers?q= (no auth, validation, ORM or logging).
 * Started as a child process by run.ts with BARE_DATABASE_URL, BARE_PORT and BARE_TENANT_ID.
 */
const COLUMNS = `c.id, c.tenant_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.company_name, c.type,
  c.status, c.tags, c.attributes, c.source, c.search_text, c.last_seen_at, c.created_at, c.updated_at, c.deleted_at, c.version`;

const BY_ID = `SELECT ${COLUMNS} FROM customers c WHERE c.tenant_id = $1 AND c.id = $2 AND c.deleted_at IS NULL LIMIT 1`;

// postgres-relevance-search.ts on its default path (no other filters, first page of 20): up to SEARCH_CANDIDATES
// substring hits ranked prefix / word start / substring, newest first; the typo pass when they fall short.
const CANDIDATES = `SELECT ${COLUMNS},
    CASE WHEN c.search_text LIKE $3 ESCAPE '\\' THEN 0 WHEN c.search_text LIKE $4 ESCAPE '\\' THEN 1 ELSE 2 END AS rel_tier, 0::float8 AS rel_dist
  FROM customers c WHERE c.tenant_id = $1 AND c.search_text LIKE $2 ESCAPE '\\' AND c.deleted_at IS NULL LIMIT ${SEARCH_CANDIDATES}`;
const ORDER = 'ORDER BY r.rel_tier ASC, r.rel_dist ASC, r.created_at DESC, r.id DESC LIMIT 21';
const SEARCH = `SELECT * FROM (${CANDIDATES}) r ${ORDER}`;
const SEARCH_WITH_TYPOS = `WITH ciq_sub AS MATERIALIZED (${CANDIDATES})
  SELECT * FROM (SELECT * FROM ciq_sub UNION ALL (SELECT ${COLUMNS}, 3, 1 - word_similarity($5, c.search_text)
    FROM customers c WHERE c.tenant_id = $1 AND $5 <% c.search_text AND NOT (c.search_text LIKE $2 ESCAPE '\\') AND c.deleted_at IS NULL
      AND (SELECT COUNT(*) FROM ciq_sub) < 21 LIMIT ${TYPO_CANDIDATES})) r ${ORDER}`;

interface CustomerRow {
  id: string;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  type: string;
  status: string;
  tags: string[];
  attributes: Record<string, unknown>;
  source: string | null;
  last_seen_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  version: number;
}

const dto = (r: CustomerRow) => ({
  id: r.id, externalId: r.external_id, email: r.email, phone: r.phone, firstName: r.first_name, lastName: r.last_name,
  companyName: r.company_name, type: r.type, status: r.status, tags: r.tags, attributes: r.attributes, source: r.source,
  lastSeenAt: r.last_seen_at, createdAt: r.created_at, updatedAt: r.updated_at, deletedAt: r.deleted_at, version: r.version,
});

async function main(): Promise<void> {
  const tenantId = process.env.BARE_TENANT_ID!;
  // Same pool size and session time zone as the app's TypeORM options.
  const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 20, options: '-c timezone=UTC' });
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/api/v1/customers/:id', async (req, reply) => {
    const { rows } = await pool.query<CustomerRow>(BY_ID, [tenantId, req.params.id]);
    if (!rows[0]) return reply.code(404).send({ error: { code: 'CUSTOMER_NOT_FOUND' } });
    void reply.header('ETag', `"${rows[0].version}"`);
    return dto(rows[0]);
  });
  app.get<{ Querystring: { q?: string } }>('/api/v1/customers', async (req) => {
    const q = (req.query.q ?? '').trim().toLowerCase();
    const e = likeEscape(q);
    let { rows } = await pool.query<CustomerRow>(SEARCH, [tenantId, `%${e}%`, `${e}%`, `% ${e}%`]);
    if (rows.length < 21) ({ rows } = await pool.query<CustomerRow>(SEARCH_WITH_TYPOS, [tenantId, `%${e}%`, `${e}%`, `% ${e}%`, q]));
    return { data: rows.slice(0, 20).map(dto), page: { limit: 20, nextCursor: rows.length > 20 ? 'more' : null } };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.BARE_PORT), host: '127.0.0.1' });
}

void main();
