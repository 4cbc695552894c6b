import { sqlDialect } from '../../infra/database/raw-sql';
import { CustomerFactsRegistry } from './customer-facts.registry';
import { compileRule } from './segment-sql';

const now = new Date('2026-11-23T12:00:00Z');
const compile = (rule: object, driver: 'sqlite' | 'postgres' = 'sqlite') =>
  compileRule(rule, { dialect: sqlDialect(driver), facts: new CustomerFactsRegistry(), now, minorPerMajor: 100 });

describe('segment rule compiler', () => {
  it('joins groups with AND / OR and keeps values out of the SQL text', () => {
    const r = compile({ all: [{ field: 'status', op: 'eq', value: "x' OR 1=1 --" }, { any: [{ field: 'band', op: 'in', value: ['at_risk', 'critical'] }] }] });
    expect(r.sql).toBe("((c.status = :sg_0) AND (((SELECT hsg.band FROM customer_health hsg WHERE hsg.customer_id = c.id) IN (:...sg_1))))");
    expect(r.params).toEqual({ sg_0: "x' OR 1=1 --", sg_1: ['at_risk', 'critical'] });
  });

  it('turns totalSpent in major units into minor units', () => {
    expect(compile({ all: [{ field: 'totalSpent', op: 'gte', value: 12.34 }] }).params).toEqual({ sg_0: 1234 });
  });

  it('turns days since the last purchase into timestamp bounds', () => {
    const r = compile({ all: [{ field: 'daysSinceLastPurchase', op: 'gt', value: 30 }] });
    expect(r.params.sg_0).toEqual(new Date(now.getTime() - 31 * 86_400_000));
    expect(r.sql).toContain('MAX(pu.occurred_at)');
  });

  it('counts events of a type in the window', () => {
    const r = compile({ all: [{ field: 'events', eventType: 'login', days: 7, op: 'gte', value: 3 }] });
    expect(r.sql).toContain("FROM telemetry te");
    expect(r.params).toEqual({ sg_0: new Date(now.getTime() - 7 * 86_400_000), sg_1: 'login', sg_2: 3 });
  });

  it('reads attributes with the JSON functions of each driver, the key as a parameter', () => {
    expect(compile({ all: [{ field: 'attributes.plan', op: 'eq', value: 'pro' }] }).sql).toContain('json_extract(c.attributes, :sg_0)');
    const pg = compile({ all: [{ field: 'attributes.plan', op: 'eq', value: 'pro' }] }, 'postgres');
    expect(pg.sql).toBe('(((c.attributes -> CAST(:sg_0 AS text)) = CAST(:sg_1 AS jsonb)))');
    expect(pg.params).toEqual({ sg_0: 'plan', sg_1: '"pro"' });
  });
});
