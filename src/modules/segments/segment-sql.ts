import type { SqlDialect } from '../../infra/database/raw-sql';
import { CUSTOMER_STATUSES, CUSTOMER_TYPES } from '../customers';
import type { CustomerFactsRegistry, ProvidedFact } from './customer-facts.registry';
import { ATTRIBUTE_KEY, FieldSpec, isGroup, RuleCondition, RuleNode, SegmentRule } from './segment-rule';

const DAY_MS = 86_400_000;
const HEALTH_BANDS = ['healthy', 'at_risk', 'critical'] as const;

/** The rule fields and how each is checked; provided facts depend on what is registered. */
export function fieldSpecOf(facts: CustomerFactsRegistry): (field: string) => FieldSpec | string | null {
  return (field) => {
    if (field.startsWith('attributes.')) return ATTRIBUTE_KEY.test(field.slice(11)) ? { kind: 'attribute' } : null;
    switch (field) {
      case 'tags':
        return { kind: 'tags' };
      case 'status':
        return { kind: 'enum', values: CUSTOMER_STATUSES };
      case 'type':
        return { kind: 'enum', values: CUSTOMER_TYPES };
      case 'totalSpent':
        return { kind: 'number', min: 0 };
      case 'orderCount':
        return { kind: 'number', min: 0, integer: true };
      case 'healthScore':
        return { kind: 'number', min: 0, max: 100 };
      case 'band':
        return { kind: 'enum', values: HEALTH_BANDS };
      case 'daysSinceLastPurchase':
        return { kind: 'purchaseDays', min: 0, integer: true };
      case 'events':
        return { kind: 'events', min: 0, integer: true };
      case 'frequencyBand':
      case 'tier':
      case 'predictedClv': {
        const p = facts.get(field);
        if (!p) return `${field} is not available: no module provides it (purchase metrics / loyalty)`;
        return p.kind === 'enum' ? { kind: 'enum', values: p.values } : { kind: 'number', min: 0 };
      }
      default:
        return null;
    }
  };
}

export interface CompileContext {
  dialect: SqlDialect;
  facts: CustomerFactsRegistry;
  now: Date;
  /** Minor units per major unit of the tenant's base currency (totalSpent and predictedClv are written in major units). */
  minorPerMajor: number;
}

/**
 * Turns a validated rule into a boolean SQL condition over the customer alias `c`, with :sg_N parameters.
 * Reads purchases, customer_health, customer_tags, telemetry and support_tickets by name; every subquery is
 * keyed by (tenant, customer) so it uses that table's per-customer index.
 */
export function compileRule(rule: SegmentRule, ctx: CompileContext): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  let n = 0;
  const p = (v: unknown): string => {
    const name = `sg_${n++}`;
    params[name] = v;
    return `:${name}`;
  };
  const pList = (vs: unknown[]): string => {
    const name = `sg_${n++}`;
    params[name] = vs;
    return `(:...${name})`;
  };
  const { dialect } = ctx;
  const ofCustomer = (alias: string) => `${alias}.tenant_id = c.tenant_id AND ${alias}.customer_id = c.id`;

  const compare = (expr: string, op: string, value: unknown, scale = (v: number) => v): string => {
    const num = (v: unknown) => p(scale(v as number));
    switch (op) {
      case 'eq': return `${expr} = ${num(value)}`;
      case 'neq': return `${expr} <> ${num(value)}`;
      case 'gt': return `${expr} > ${num(value)}`;
      case 'gte': return `${expr} >= ${num(value)}`;
      case 'lt': return `${expr} < ${num(value)}`;
      case 'lte': return `${expr} <= ${num(value)}`;
      case 'between': {
        const [lo, hi] = value as [number, number];
        return `${expr} BETWEEN ${num(lo)} AND ${num(hi)}`;
      }
      case 'in': return `${expr} IN ${pList(value as unknown[])}`;
      case 'notIn': return `${expr} NOT IN ${pList(value as unknown[])}`;
      default: throw new Error(`operator ${op} reached the compiler unvalidated`);
    }
  };

  const purchaseDays = (op: string, value: unknown): string => {
    const last = `(SELECT MAX(pu.occurred_at) FROM purchases pu WHERE ${ofCustomer('pu')})`;
    const purchased = `EXISTS (SELECT 1 FROM purchases pu WHERE ${ofCustomer('pu')})`;
    if (op === 'exists') return purchased;
    if (op === 'notExists') return `NOT ${purchased}`;
    // Whole days since the last purchase > N  <=>  the last purchase is at or before now - (N + 1) days.
    const before = (days: number) => p(new Date(ctx.now.getTime() - days * DAY_MS));
    const atLeast = (d: number) => `${last} <= ${before(d)}`;
    const below = (d: number) => `${last} > ${before(d)}`;
    const v = value as number;
    switch (op) {
      case 'gt': return atLeast(v + 1);
      case 'gte': return atLeast(v);
      case 'lt': return below(v);
      case 'lte': return below(v + 1);
      case 'eq': return `(${atLeast(v)} AND ${below(v + 1)})`;
      case 'neq': return `(${purchased} AND NOT (${atLeast(v)} AND ${below(v + 1)}))`;
      default: {
        const [lo, hi] = value as [number, number];
        return `(${atLeast(lo)} AND ${below(hi + 1)})`;
      }
    }
  };

  const tags = (op: string, value: unknown): string => {
    const has = (tagSql: string) => `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag ${tagSql})`;
    const lower = (v: unknown) => String(v).trim().toLowerCase();
    if (op === 'contains') return has(`= ${p(lower(value))}`);
    if (op === 'notContains') return `NOT ${has(`= ${p(lower(value))}`)}`;
    const list = [...new Set((value as unknown[]).map(lower))];
    if (op === 'containsAny') return has(`IN ${pList(list)}`);
    return `(SELECT COUNT(*) FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag IN ${pList(list)}) = ${p(list.length)}`;
  };

  const events = (c: RuleCondition): string => {
    const since = p(new Date(ctx.now.getTime() - (c.days as number) * DAY_MS));
    let count: string;
    if (c.eventType === 'usage' || c.eventType === 'login') {
      count = `(SELECT COUNT(*) FROM telemetry te WHERE ${ofCustomer('te')} AND te.kind = ${p(c.eventType)} AND te.occurred_at >= ${since})`;
    } else if (c.eventType === 'support_ticket') {
      count = `(SELECT COUNT(*) FROM support_tickets tk WHERE ${ofCustomer('tk')} AND tk.opened_at >= ${since})`;
    } else {
      count = `(SELECT COUNT(*) FROM purchases pu WHERE ${ofCustomer('pu')} AND pu.occurred_at >= ${since})`;
    }
    return compare(count, c.op, c.value);
  };

  const attribute = (key: string, op: string, value: unknown): string => {
    if (dialect.driver === 'postgres') {
      const k = `CAST(${p(key)} AS text)`;
      const el = `(c.attributes -> ${k})`;
      if (op === 'exists') return `${el} IS NOT NULL`;
      if (op === 'notExists') return `${el} IS NULL`;
      if (['gt', 'gte', 'lt', 'lte'].includes(op)) {
        return compare(`(CASE WHEN jsonb_typeof(${el}) = 'number' THEN CAST(c.attributes ->> ${k} AS numeric) END)`, op, value);
      }
      const j = (v: unknown) => `CAST(${p(JSON.stringify(v))} AS jsonb)`;
      if (op === 'eq') return `${el} = ${j(value)}`;
      if (op === 'neq') return `(${el} IS NULL OR ${el} <> ${j(value)})`;
      const list = (value as unknown[]).map(j).join(', ');
      return op === 'in' ? `${el} IN (${list})` : `(${el} IS NULL OR ${el} NOT IN (${list}))`;
    }
    // SQLite (and SQL Server's JSON_VALUE): the JSON value's type is checked beside its value so "1" never equals 1.
    const path = p(`$."${key}"`);
    const type = dialect.driver === 'sqlite' ? `json_type(c.attributes, ${path})` : `NULL`;
    const val = dialect.driver === 'sqlite' ? `json_extract(c.attributes, ${path})` : `JSON_VALUE(c.attributes, ${path})`;
    if (op === 'exists') return `${type} IS NOT NULL`;
    if (op === 'notExists') return `${type} IS NULL`;
    if (['gt', 'gte', 'lt', 'lte'].includes(op)) return compare(`(CASE WHEN ${type} IN ('integer', 'real') THEN ${val} END)`, op, value);
    const one = (v: unknown) =>
      typeof v === 'boolean' ? `${type} = '${v ? 'true' : 'false'}'`
        : typeof v === 'number' ? `(${type} IN ('integer', 'real') AND ${val} = ${p(v)})`
          : `(${type} = 'text' AND ${val} = ${p(v)})`;
    if (op === 'eq') return one(value);
    if (op === 'neq') return `NOT COALESCE(${one(value)}, 0)`;
    const any = `(${(value as unknown[]).map(one).join(' OR ')})`;
    return op === 'in' ? any : `NOT COALESCE(${any}, 0)`;
  };

  const condition = (c: RuleCondition): string => {
    if (c.field.startsWith('attributes.')) return attribute(c.field.slice(11), c.op, c.value);
    const health = (col: string) => `(SELECT hsg.${col} FROM customer_health hsg WHERE hsg.customer_id = c.id)`;
    const money = (v: number) => Math.round(v * ctx.minorPerMajor);
    switch (c.field) {
      case 'tags': return tags(c.op, c.value);
      case 'status': return compare('c.status', c.op, c.value);
      case 'type': return compare('c.type', c.op, c.value);
      case 'healthScore': return compare(health('score'), c.op, c.value);
      case 'band': return compare(health('band'), c.op, c.value);
      case 'totalSpent':
        return compare(`(SELECT COALESCE(SUM(pu.amount_minor - pu.refunded_minor), 0) FROM purchases pu WHERE ${ofCustomer('pu')})`, c.op, c.value, money);
      case 'orderCount':
        return compare(`(SELECT COUNT(*) FROM purchases pu WHERE ${ofCustomer('pu')} AND pu.status <> 'refunded')`, c.op, c.value);
      case 'daysSinceLastPurchase': return purchaseDays(c.op, c.value);
      case 'events': return events(c);
      default: {
        const provider = ctx.facts.get(c.field as ProvidedFact)!;
        return compare(provider.expression(dialect), c.op, c.value, c.field === 'predictedClv' ? money : undefined);
      }
    }
  };

  const node = (x: RuleNode): string => {
    if (!isGroup(x)) return `(${condition(x)})`;
    const [joiner, children] = x.all ? [' AND ', x.all] : [' OR ', x.any!];
    return `(${children.map(node).join(joiner)})`;
  };
  return { sql: node(rule), params };
}
