import { CustomerFactsRegistry } from './customer-facts.registry';
import { validateRule } from './segment-rule';
import { fieldSpecOf } from './segment-sql';

const spec = fieldSpecOf(new CustomerFactsRegistry());
const errorsOf = (rule: unknown) => validateRule(rule, spec);
const cond = (field: string, op: string, value?: unknown) => ({ field, op, ...(value === undefined ? {} : { value }) });

describe('segment rule validation', () => {
  it('accepts every field with a fitting operator and value', () => {
    const rule = {
      all: [
        cond('tags', 'containsAll', ['vip', 'b2b']), cond('status', 'in', ['active']), cond('type', 'neq', 'business'),
        cond('totalSpent', 'between', [10, 20.5]), cond('orderCount', 'gte', 2), cond('healthScore', 'lt', 40), cond('band', 'eq', 'at_risk'),
        cond('daysSinceLastPurchase', 'notExists'), cond('attributes.plan', 'eq', 'pro'), cond('attributes.seats', 'gt', 3),
        { field: 'events', eventType: 'support_ticket', days: 30, op: 'gte', value: 2 },
        { any: [cond('attributes.trial', 'eq', true)] },
      ],
    };
    expect(errorsOf(rule)).toEqual([]);
  });

  it('names the path of an unknown field and of an unknown operator', () => {
    expect(errorsOf({ any: [cond('status', 'eq', 'active'), { all: [cond('shoe', 'eq', 1), cond('orderCount', 'like', 1)] }] })).toEqual([
      { field: 'rule.any[1].all[0].field', message: "unknown field 'shoe'" },
      { field: 'rule.any[1].all[1].op', message: expect.stringContaining("unknown operator 'like' for field 'orderCount'") },
    ]);
  });

  it('refuses values of the wrong kind', () => {
    expect(errorsOf({ all: [cond('band', 'eq', 'fine'), cond('healthScore', 'gt', 101), cond('orderCount', 'eq', 1.5), cond('totalSpent', 'between', [5, 1])] }).map((e) => e.field)).toEqual([
      'rule.all[0].value', 'rule.all[1].value', 'rule.all[2].value', 'rule.all[3].value',
    ]);
  });

  it('refuses a bad attribute key, an extra key, and eventType outside events', () => {
    expect(errorsOf({ all: [cond('attributes.bad key', 'eq', 1)] })[0]).toEqual({ field: 'rule.all[0].field', message: "unknown field 'attributes.bad key'" });
    expect(errorsOf({ all: [{ ...cond('status', 'eq', 'active'), extra: 1 }] })[0].field).toBe('rule.all[0].extra');
    expect(errorsOf({ all: [{ ...cond('status', 'eq', 'active'), days: 3 }] })[0].field).toBe('rule.all[0].eventType');
  });

  it('allows 10 levels of groups and refuses the 11th at its place', () => {
    const nest = (n: number): unknown => (n === 1 ? { all: [cond('status', 'eq', 'active')] } : { all: [nest(n - 1)] });
    expect(errorsOf(nest(10))).toEqual([]);
    expect(errorsOf(nest(11))).toEqual([{ field: `rule${'.all[0]'.repeat(10)}`, message: 'nests deeper than 10 levels' }]);
  });

  it('allows 100 conditions and refuses 101', () => {
    const many = (n: number) => ({ any: Array.from({ length: n }, () => cond('status', 'eq', 'active')) });
    expect(errorsOf(many(100))).toEqual([]);
    expect(errorsOf(many(101))).toEqual([{ field: 'rule', message: 'has 101 conditions; at most 100 are allowed' }]);
  });

  it('requires a group at the top and non-empty groups', () => {
    expect(errorsOf(cond('status', 'eq', 'active'))[0]).toEqual({ field: 'rule', message: expect.stringContaining('must be a group') });
    expect(errorsOf({ all: [] })[0]).toEqual({ field: 'rule.all', message: 'must be a non-empty array' });
    expect(errorsOf({ all: [cond('status', 'eq', 'active')], any: [] })[0].message).toContain('exactly one key');
  });

  it('says a provided field is not available until a module registers it', () => {
    expect(errorsOf({ all: [cond('frequencyBand', 'eq', 'regular')] })).toEqual([
      { field: 'rule.all[0].field', message: expect.stringContaining('frequencyBand is not available') },
    ]);
    const facts = new CustomerFactsRegistry();
    facts.register({ field: 'frequencyBand', kind: 'enum', values: ['one_time', 'regular'], expression: () => 'NULL' });
    expect(validateRule({ all: [cond('frequencyBand', 'eq', 'regular')] }, fieldSpecOf(facts))).toEqual([]);
  });
});
