/** Synthetic customer events for the publisher CLI, the ingest benchmark and the fault test. Deterministic per seed. */

export const GENERATED_TYPES = ['purchase', 'refund', 'usage', 'login', 'support_ticket', 'contact', 'work_order', 'note', 'profile_update', 'custom'] as const;
export type GeneratedType = (typeof GENERATED_TYPES)[number];

export interface GeneratedEvent {
  /** Subject token for the customer (the publisher's reference). */
  customerRef: string;
  type: GeneratedType;
  envelope: { id: string; type: GeneratedType; occurred_at: string; source: string; data: Record<string, unknown> };
}

export interface GeneratorOptions {
  /** Weights per type, e.g. purchase=50,usage=25,login=15,support_ticket=5,contact=5. */
  mix: Array<[GeneratedType, number]>;
  /** Size of the customer pool the events spread over. */
  customers: number;
  /** Prefix of event ids, order ids and ticket ids, so runs never collide. */
  runId: string;
  seed?: number;
}

export const DEFAULT_MIX = 'purchase=50,usage=25,login=15,support_ticket=5,contact=5';

/** Parses "purchase=50,usage=25" into weights; unknown types and non-positive weights are errors. */
export function parseMix(raw: string): Array<[GeneratedType, number]> {
  const out: Array<[GeneratedType, number]> = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, weight] = part.split('=');
    if (!(GENERATED_TYPES as readonly string[]).includes(name)) throw new Error(`Unknown type "${name}" in --mix (use ${GENERATED_TYPES.join(', ')})`);
    const w = Number(weight ?? 1);
    if (!Number.isFinite(w) || w <= 0) throw new Error(`Invalid weight "${weight}" for ${name} in --mix`);
    out.push([name as GeneratedType, w]);
  }
  if (!out.length) throw new Error('--mix names no type');
  return out;
}

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class EventGenerator {
  private readonly random: () => number;
  private readonly total: number;
  private readonly purchasesSoFar: string[] = [];
  private readonly start = Date.now() - 3600_000;

  constructor(private readonly opts: GeneratorOptions) {
    this.random = rng(opts.seed ?? 42);
    this.total = opts.mix.reduce((a, [, w]) => a + w, 0);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  private typeFor(): GeneratedType {
    let x = this.random() * this.total;
    for (const [t, w] of this.opts.mix) if ((x -= w) < 0) return t;
    return this.opts.mix[this.opts.mix.length - 1][0];
  }

  /** The i-th event (ids are unique per runId). */
  next(i: number): GeneratedEvent {
    let type = this.typeFor();
    if (type === 'refund' && !this.purchasesSoFar.length) type = 'purchase';
    const customerRef = `cust-${Math.floor(this.random() * this.opts.customers)}`;
    const id = `${this.opts.runId}-${i}`;
    const occurredAt = new Date(this.start + i).toISOString();
    const money = (lo: number, hi: number) => Math.round((lo + this.random() * (hi - lo)) * 100) / 100;
    let data: Record<string, unknown>;
    switch (type) {
      case 'purchase': {
        const orderId = `${this.opts.runId}-o-${i}`;
        const qty = 1 + Math.floor(this.random() * 3);
        const unit = money(2, 150);
        if (this.purchasesSoFar.length < 10_000) this.purchasesSoFar.push(orderId);
        data = { order_id: orderId, amount: Math.round(qty * unit * 100) / 100, items: [{ sku: `SKU-${Math.floor(this.random() * 500)}`, name: 'Item', quantity: qty, unit_price: unit }], channel: this.pick(['store', 'web', 'app']) };
        break;
      }
      case 'refund':
        data = { order_id: this.pick(this.purchasesSoFar), amount: 1 };
        break;
      case 'usage':
        data = { api_calls: 1 + Math.floor(this.random() * 500), period: occurredAt.slice(0, 7) };
        break;
      case 'login':
        data = {};
        break;
      case 'support_ticket':
        data = {
          ticket_id: `${this.opts.runId}-t-${Math.floor(this.random() * Math.max(1, this.opts.customers / 2))}`, subject: 'Help needed',
          severity: this.pick(['low', 'medium', 'high', 'critical']), status: this.pick(['open', 'pending', 'resolved', 'closed']),
        };
        break;
      case 'contact':
        data = { channel: this.pick(['email', 'sms', 'call', 'chat', 'visit']), direction: this.pick(['inbound', 'outbound']), summary: 'Follow-up' };
        break;
      case 'work_order':
        data = { work_order_id: `${this.opts.runId}-w-${i}`, status: this.pick(['scheduled', 'in_progress', 'completed']), description: 'Service visit', cost: money(20, 300) };
        break;
      case 'note':
        data = { text: 'Generated observation', note_type: 'observation' };
        break;
      case 'profile_update':
        data = { fields: { company_name: `Company ${Math.floor(this.random() * 1000)}` } };
        break;
      default:
        data = { name: 'generated', properties: { n: i } };
    }
    return { customerRef, type, envelope: { id, type, occurred_at: occurredAt, source: 'generator', data } };
  }
}
