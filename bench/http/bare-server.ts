import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The baseline for bench:http: bare fastify + pg running the same two queries the app runs for
 * GET /api/v1/customers/:id and GET /api/v1/customers?q= (no auth, validation, ORM or logging).
 * Started as a child process by run.ts with BARE_DATABASE_URL, BARE_PORT and BARE_TENANT_ID.
 */
const COLUMNS = `c.id, c.tenant_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.company_name, c.type,
  c.status, c.tags, c.attributes, c.source, c.search_text, c.last_seen_at, c.created_at, c.updated_at, c.deleted_at, c.version`;

const BY_ID = `SELECT ${COLUMNS} FROM customers c WHERE c.tenant_id = $1 AND c.id = $2 AND c.deleted_at IS NULL LIMIT 1`;

// customers.repository.ts applySearch + orderByRelevance on Postgres (ix_customers_search_trgm), first page of 20.
const SEARCH = `SELECT ${COLUMNS},
    CASE WHEN c.search_text LIKE $3 ESCAPE '\\' THEN 0 ELSE 1 END AS rel_prefix,
    word_similarity($4, c.search_text) AS rel_sim
  FROM customers c
  WHERE c.tenant_id = $1 AND (c.search_text LIKE $2 ESCAPE '\\' OR $4 <% c.search_text) AND c.deleted_at IS NULL
  ORDER BY rel_prefix ASC, rel_sim DESC, c.created_at DESC, c.id DESC
  LIMIT 21`;

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

const likeEscape = (q: string): string => q.replace(/[\\%_]/g, (m) => `\\${m}`);

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
    const { rows } = await pool.query<CustomerRow>(SEARCH, [tenantId, `%${likeEscape(q)}%`, `${likeEscape(q)}%`, q]);
    return { data: rows.slice(0, 20).map(dto), page: { limit: 20, nextCursor: rows.length > 20 ? 'more' : null } };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.BARE_PORT), host: '127.0.0.1' });
}

void main();
