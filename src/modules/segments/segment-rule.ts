import type { FieldError } from '../../shared/app-error';

/**
 * A segment rule: a tree of all/any groups over conditions. Pure types and validation; segment-sql.ts turns a valid
 * rule into SQL. Example: { all: [ { field: 'band', op: 'in', value: ['at_risk', 'critical'] },
 *   { any: [ { field: 'tags', op: 'contains', value: 'vip' }, { field: 'totalSpent', op: 'gte', value: 500 } ] } ] }
 */
export interface RuleGroup {
  all?: RuleNode[];
  any?: RuleNode[];
}
export interface RuleCondition {
  field: string;
  op: string;
  value?: unknown;
  /** Only for field `events`: the event type counted and the trailing window. */
  eventType?: string;
  days?: number;
}
export type RuleNode = RuleGroup | RuleCondition;
export type SegmentRule = RuleGroup;

export const MAX_RULE_DEPTH = 10;
export const MAX_RULE_CONDITIONS = 100;
export const MAX_EVENT_DAYS = 365;

export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export const ENUM_OPS = ['eq', 'neq', 'in', 'notIn'] as const;
export const TAG_OPS = ['contains', 'notContains', 'containsAny', 'containsAll'] as const;
export const ATTRIBUTE_OPS = ['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists', 'notExists'] as const;
/** daysSinceLastPurchase also knows `exists` / `notExists` (has purchased at all). */
export const PURCHASE_DAYS_OPS = [...NUMBER_OPS, 'exists', 'notExists'] as const;
export const COUNTED_EVENT_TYPES = ['usage', 'login', 'support_ticket', 'purchase'] as const;

export type FieldKind = 'number' | 'enum' | 'tags' | 'attribute' | 'events' | 'purchaseDays';

export interface FieldSpec {
  kind: FieldKind;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  min?: number;
  max?: number;
  integer?: boolean;
  /** Served by a registered provider (metrics, loyalty); unavailable without one. */
  provided?: boolean;
}

export const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export function opsOf(kind: FieldKind): readonly string[] {
  switch (kind) {
    case 'number':
    case 'events':
      return NUMBER_OPS;
    case 'purchaseDays':
      return PURCHASE_DAYS_OPS;
    case 'enum':
      return ENUM_OPS;
    case 'tags':
      return TAG_OPS;
    default:
      return ATTRIBUTE_OPS;
  }
}

export const isGroup = (n: unknown): n is RuleGroup => typeof n === 'object' && n !== null && !Array.isArray(n) && ('all' in n || 'any' in n);

/**
 * Checks a rule against the field catalogue; each error names its place (rule.all[2].any[0].op).
 * `fieldSpec` resolves a field name (attributes.<key> included) or returns null for an unknown one, or a string
 * explaining why a known field is unavailable.
 */
export function validateRule(rule: unknown, fieldSpec: (field: string) => FieldSpec | string | null, root = 'rule'): FieldError[] {
  const errors: FieldError[] = [];
  let conditions = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (errors.length >= 20) return;
    if (!isGroup(node)) {
      if (depth === 1) errors.push({ field: path, message: 'must be a group: { all: [...] } or { any: [...] }' });
      else checkCondition(node, path);
      return;
    }
    if (depth > MAX_RULE_DEPTH) {
      errors.push({ field: path, message: `nests deeper than ${MAX_RULE_DEPTH} levels` });
      return;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      errors.push({ field: path, message: 'a group has exactly one key, all or any' });
      return;
    }
    const key = keys[0] as 'all' | 'any';
    const children = node[key];
    if (!Array.isArray(children) || children.length === 0) {
      errors.push({ field: `${path}.${key}`, message: 'must be a non-empty array' });
      return;
    }
    children.forEach((child, i) => walk(child, `${path}.${key}[${i}]`, depth + 1));
  };
  const checkCondition = (node: unknown, path: string): void => {
    conditions += 1;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      errors.push({ field: path, message: 'must be a condition { field, op, value } or a group' });
      return;
    }
    const c = node as RuleCondition;
    for (const k of Object.keys(c)) {
      if (!['field', 'op', 'value', 'eventType', 'days'].includes(k)) errors.push({ field: `${path}.${k}`, message: 'is not an allowed key of a condition' });
    }
    if (typeof c.field !== 'string') return void errors.push({ field: `${path}.field`, message: 'must be a string' });
    const spec = fieldSpec(c.field);
    if (spec === null) return void errors.push({ field: `${path}.field`, message: `unknown field '${c.field}'` });
    if (typeof spec === 'string') return void errors.push({ field: `${path}.field`, message: spec });
    const ops = opsOf(spec.kind);
    if (typeof c.op !== 'string' || !ops.includes(c.op)) {
      return void errors.push({ field: `${path}.op`, message: `unknown operator '${String(c.op)}' for field '${c.field}'; use one of ${ops.join(', ')}` });
    }
    if (spec.kind === 'events') checkEvents(c, path);
    else if (c.eventType !== undefined || c.days !== undefined) errors.push({ field: `${path}.eventType`, message: "only the field 'events' takes eventType and days" });
    const msg = valueError(spec, c.op, c.value);
    if (msg) errors.push({ field: `${path}.value`, message: msg });
  };
  const checkEvents = (c: RuleCondition, path: string): void => {
    if (typeof c.eventType !== 'string' || !(COUNTED_EVENT_TYPES as readonly string[]).includes(c.eventType)) {
      errors.push({ field: `${path}.eventType`, message: `must be one of ${COUNTED_EVENT_TYPES.join(', ')}` });
    }
    if (!Number.isInteger(c.days) || (c.days as number) < 1 || (c.days as number) > MAX_EVENT_DAYS) {
      errors.push({ field: `${path}.days`, message: `must be a whole number of days from 1 to ${MAX_EVENT_DAYS}` });
    }
  };
  walk(rule, root, 1);
  if (conditions > MAX_RULE_CONDITIONS) errors.push({ field: root, message: `has ${conditions} conditions; at most ${MAX_RULE_CONDITIONS} are allowed` });
  return errors;
}

function valueError(spec: FieldSpec, op: string, value: unknown): string | null {
  if (op === 'exists' || op === 'notExists') return value === undefined ? null : `takes no value with ${op}`;
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const numberOk = (v: unknown): string | null => {
    if (!isNum(v)) return 'must be a number';
    if (spec.integer && !Number.isInteger(v)) return 'must be a whole number';
    if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}`;
    if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}`;
    return null;
  };
  const list = (v: unknown, each: (x: unknown) => string | null): string | null => {
    if (!Array.isArray(v) || v.length === 0 || v.length > 100) return 'must be a non-empty array of at most 100 values';
    for (const x of v) {
      const e = each(x);
      if (e) return `each value ${e.replace(/^must/, 'must')}`;
    }
    return null;
  };
  switch (spec.kind) {
    case 'number':
    case 'events':
    case 'purchaseDays':
      if (op === 'between') {
        if (!Array.isArray(value) || value.length !== 2) return 'must be [low, high] with between';
        const e = numberOk(value[0]) ?? numberOk(value[1]);
        return e ?? ((value[0] as number) > (value[1] as number) ? 'low must not be above high' : null);
      }
      return numberOk(value);
    case 'enum': {
      const one = (v: unknown) => (typeof v === 'string' && (!spec.values || spec.values.includes(v)) ? null : `must be one of ${(spec.values ?? []).join(', ')}`);
      return op === 'in' || op === 'notIn' ? list(value, one) : one(value);
    }
    case 'tags': {
      const one = (v: unknown) => (typeof v === 'string' && v.length >= 1 && v.length <= 64 ? null : 'must be a tag (1-64 characters)');
      return op === 'containsAny' || op === 'containsAll' ? list(value, one) : one(value);
    }
    default: {
      const scalar = (v: unknown) => (typeof v === 'string' || typeof v === 'boolean' || isNum(v) ? null : 'must be a string, number or boolean');
      if (op === 'in' || op === 'notIn') return list(value, scalar);
      if (['gt', 'gte', 'lt', 'lte'].includes(op)) return isNum(value) ? null : `must be a number with ${op}`;
      return scalar(value);
    }
  }
}
