import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { isUniqueViolation } from '../../infra/database';
import { customerBatchJobs, JobQueue, JobView } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomerScoped } from '../../shared/domain-event';
import { Page } from '../../shared/cursor';
import { currencyExponent } from '../../shared/money';
import { CustomerDto, CustomersService, ListCustomersQueryDto, toCustomerDto } from '../customers';
import { TenantsService } from '../identity';
import { CustomerFactsRegistry } from './customer-facts.registry';
import { CreateSegmentDto, PreviewSegmentDto, SegmentDto, SegmentPreviewDto, UpdateSegmentDto } from './dto/segment.dto';
import { Segment } from './entities/segment.entity';
import { validateRule, SegmentRule } from './segment-rule';
import { compileRule, fieldSpecOf } from './segment-sql';
import { SEGMENT_EVENTS, SegmentMembershipEvent } from './segments.events';
import { CompiledRule, SegmentsRepository } from './segments.repository';

export const SEGMENTS_QUEUE = 'segments';
/** `customer` ({tenantId, customerId}) is still processed for jobs queued before `customers` replaced it. */
export const SEGMENT_JOBS = { segment: 'recompute-segment', customer: 'recompute-customer', customers: 'recompute-customers', tenant: 'refresh-tenant', all: 'refresh-all' } as const;

/** Customers evaluated per statement by a recompute-customers job. */
const CUSTOMER_CHUNK = 500;

/** How long a customer job's finding that a tenant has no segments lets later customer changes skip the job. */
const NO_SEGMENTS_TTL_MS = 1000;

/** Segments: rule CRUD, preview, and membership kept current (entered / exited events). */
@Injectable()
export class SegmentsService {
  private readonly log = new Logger(SegmentsService.name);
  /** Tenants a customer job found without segments, until when that answer is trusted. */
  private readonly noSegmentsUntil = new Map<string, number>();

  constructor(
    private readonly repo: SegmentsRepository,
    private readonly facts: CustomerFactsRegistry,
    private readonly tenants: TenantsService,
    private readonly customers: CustomersService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    private readonly events: DomainEventBus,
  ) {}

  async create(tenantId: string, dto: CreateSegmentDto): Promise<SegmentDto> {
    this.assertValid(dto.rule);
    if (await this.repo.findByName(tenantId, dto.name)) throw this.nameTaken(dto.name);
    this.noSegmentsUntil.delete(tenantId);
    const saved = await this.saveMapped(tenantId, { tenantId, name: dto.name, description: dto.description ?? null, rule: dto.rule, evaluatedAt: null }, dto.name);
    const job = await this.enqueueSegment(tenantId, saved.id);
    return toDto(saved, 0, job.id);
  }

  async list(tenantId: string): Promise<SegmentDto[]> {
    const [rows, counts] = await Promise.all([this.repo.list(tenantId), this.repo.memberCounts(tenantId)]);
    return rows.map((s) => toDto(s, counts.get(s.id) ?? 0));
  }

  async get(tenantId: string, id: string): Promise<SegmentDto> {
    const s = await this.find(tenantId, id);
    return toDto(s, (await this.repo.memberCounts(tenantId)).get(id) ?? 0);
  }

  async update(tenantId: string, id: string, dto: UpdateSegmentDto): Promise<SegmentDto> {
    const s = await this.find(tenantId, id);
    if (dto.rule !== undefined) this.assertValid(dto.rule);
    if (dto.name !== undefined && dto.name !== s.name) {
      const other = await this.repo.findByName(tenantId, dto.name);
      if (other && other.id !== id) throw this.nameTaken(dto.name);
      s.name = dto.name;
    }
    if (dto.description !== undefined) s.description = dto.description;
    const ruleChanged = dto.rule !== undefined && JSON.stringify(dto.rule) !== JSON.stringify(s.rule);
    if (ruleChanged) s.rule = dto.rule!;
    const saved = await this.saveMapped(tenantId, s, s.name);
    const job = ruleChanged ? await this.enqueueSegment(tenantId, id) : undefined;
    return toDto(saved, (await this.repo.memberCounts(tenantId)).get(id) ?? 0, job?.id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.find(tenantId, id);
    await this.repo.remove(tenantId, id);
  }

  /** How many customers a rule matches and the newest of them, without saving anything. */
  async preview(tenantId: string, dto: PreviewSegmentDto): Promise<SegmentPreviewDto> {
    this.assertValid(dto.rule);
    const r = await this.repo.preview(tenantId, await this.compile(tenantId, dto.rule), dto.limit ?? 20);
    return {
      count: r.count,
      data: r.rows.map((c) => ({ id: c.id, email: c.email, firstName: c.first_name, lastName: c.last_name, companyName: c.company_name, status: c.status, type: c.type })),
    };
  }

  /** Current members, as the customer list pages them (GET /customers?segmentId=). */
  async members(tenantId: string, id: string, page: { limit?: number; cursor?: string }): Promise<Page<CustomerDto>> {
    await this.find(tenantId, id);
    const query = Object.assign(new ListCustomersQueryDto(), { segmentId: id, limit: page.limit, cursor: page.cursor });
    const r = await this.customers.list(tenantId, query);
    return { data: r.data.map(toCustomerDto), page: r.page };
  }

  // Membership

  /**
   * Queues the re-evaluation of these customers, a de-duplicated job each; returns how many were queued. Skipped
   * while the tenant is known to have no segments: a customer job of this instance found none less than
   * NO_SEGMENTS_TTL_MS ago and no segment was created here since. A segment created on another instance meanwhile
   * is evaluated for every customer by its own job.
   */
  async requestCustomerRefresh(customers: CustomerScoped[]): Promise<number> {
    const now = Date.now();
    const wanted = customers.filter((c) => !this.knownWithoutSegments(c.tenantId, now));
    // One job per tenant: a waiting one takes the customers of later changes (in process; see customerBatchJobs).
    const jobs = customerBatchJobs(SEGMENT_JOBS.customers, wanted, { attempts: 3, backoffMs: 1000 });
    if (jobs.length) await this.jobs.addMany(SEGMENTS_QUEUE, jobs);
    return wanted.length;
  }

  requestTenantRefresh(tenantId: string): Promise<JobView> {
    return this.jobs.add(SEGMENTS_QUEUE, SEGMENT_JOBS.tenant, { tenantId }, { dedupeId: `tenant:${tenantId}` });
  }

  /** Re-evaluates one segment for every customer of its tenant. */
  async recomputeSegment(tenantId: string, segmentId: string, now = new Date()): Promise<{ entered: number; exited: number }> {
    const s = await this.repo.find(tenantId, segmentId);
    if (!s) return { entered: 0, exited: 0 };
    const rule = await this.compileStored(tenantId, s);
    if (!rule) return { entered: 0, exited: 0 };
    const entered = await this.repo.addMatching(tenantId, s.id, rule, now);
    const exited = await this.repo.removeUnmatched(tenantId, s.id, rule);
    await this.repo.setEvaluated(s.id, now);
    this.emitMembership(tenantId, s, entered, exited, now);
    return { entered: entered.length, exited: exited.length };
  }

  /** Re-evaluates every segment of the tenant for one customer whose data changed. */
  async recomputeCustomer(tenantId: string, customerId: string, now = new Date()): Promise<{ entered: string[]; exited: string[] }> {
    const r = await this.recomputeCustomers(tenantId, [customerId], now);
    return { entered: r.entered.map((e) => e.segmentId), exited: r.exited.map((e) => e.segmentId) };
  }

  /** Re-evaluates every segment of the tenant for customers whose data changed, CUSTOMER_CHUNK per statement. */
  async recomputeCustomers(tenantId: string, customerIds: string[], now = new Date()): Promise<{ entered: Array<{ segmentId: string; customerId: string }>; exited: Array<{ segmentId: string; customerId: string }> }> {
    const out = { entered: [] as Array<{ segmentId: string; customerId: string }>, exited: [] as Array<{ segmentId: string; customerId: string }> };
    // Jobs queued before a sibling job found no segments end here too, without a query.
    if (!customerIds.length || this.knownWithoutSegments(tenantId, Date.now())) return out;
    const segments = await this.repo.list(tenantId);
    if (segments.length) this.noSegmentsUntil.delete(tenantId);
    else this.rememberNoSegments(tenantId);
    for (const s of segments) {
      const rule = await this.compileStored(tenantId, s);
      if (!rule) continue;
      for (let i = 0; i < customerIds.length; i += CUSTOMER_CHUNK) {
        const ids = customerIds.slice(i, i + CUSTOMER_CHUNK);
        const entered = await this.repo.addMatching(tenantId, s.id, rule, now, ids);
        const exited = await this.repo.removeUnmatched(tenantId, s.id, rule, ids);
        this.emitMembership(tenantId, s, entered, exited, now);
        for (const customerId of entered) out.entered.push({ segmentId: s.id, customerId });
        for (const customerId of exited) out.exited.push({ segmentId: s.id, customerId });
      }
    }
    return out;
  }

  async refreshTenant(tenantId: string, onProgress?: (done: number, total: number) => unknown): Promise<{ segments: number; entered: number; exited: number }> {
    const segments = await this.repo.list(tenantId);
    let entered = 0;
    let exited = 0;
    for (const [i, s] of segments.entries()) {
      const r = await this.recomputeSegment(tenantId, s.id);
      entered += r.entered;
      exited += r.exited;
      await onProgress?.(i + 1, segments.length);
    }
    return { segments: segments.length, entered, exited };
  }

  /** The scheduled job: every segment of every tenant. */
  async refreshAll(onProgress?: (percent: number) => unknown): Promise<{ tenants: number; segments: number; entered: number; exited: number }> {
    const tenants = await this.repo.tenantIds();
    const total = { tenants: tenants.length, segments: 0, entered: 0, exited: 0 };
    for (const [i, tenantId] of tenants.entries()) {
      const r = await this.refreshTenant(tenantId);
      total.segments += r.segments;
      total.entered += r.entered;
      total.exited += r.exited;
      await onProgress?.(Math.floor(((i + 1) / tenants.length) * 100));
    }
    return total;
  }

  // Helpers

  private knownWithoutSegments(tenantId: string, now: number): boolean {
    return (this.noSegmentsUntil.get(tenantId) ?? 0) > now;
  }

  private rememberNoSegments(tenantId: string): void {
    if (this.noSegmentsUntil.size > 10_000) this.noSegmentsUntil.clear();
    this.noSegmentsUntil.set(tenantId, Date.now() + NO_SEGMENTS_TTL_MS);
  }

  private enqueueSegment(tenantId: string, segmentId: string): Promise<JobView> {
    return this.jobs.add(SEGMENTS_QUEUE, SEGMENT_JOBS.segment, { tenantId, segmentId }, { dedupeId: `segment:${segmentId}` });
  }

  private assertValid(rule: unknown): void {
    const errors = validateRule(rule, fieldSpecOf(this.facts));
    if (errors.length) throw new AppError(ErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  private async compile(tenantId: string, rule: SegmentRule): Promise<CompiledRule> {
    const tenant = await this.tenants.get(tenantId);
    const minorPerMajor = 10 ** currencyExponent(tenant.settings.baseCurrency ?? 'USD');
    return compileRule(rule, { dialect: this.repo.dialect, facts: this.facts, now: new Date(), minorPerMajor });
  }

  /** A stored rule can stop being valid (a provider module went away): skip it rather than fail the job. */
  private async compileStored(tenantId: string, s: Segment): Promise<CompiledRule | null> {
    const errors = validateRule(s.rule, fieldSpecOf(this.facts));
    if (errors.length) {
      this.log.warn(`segment ${s.id} skipped: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
      return null;
    }
    return this.compile(tenantId, s.rule);
  }

  private emitMembership(tenantId: string, s: Segment, entered: string[], exited: string[], at: Date): void {
    const base = { tenantId, segmentId: s.id, segmentName: s.name, at: at.toISOString() };
    this.events.publish([
      ...entered.map((customerId) => ({ name: SEGMENT_EVENTS.entered, payload: { ...base, customerId } satisfies SegmentMembershipEvent })),
      ...exited.map((customerId) => ({ name: SEGMENT_EVENTS.exited, payload: { ...base, customerId } satisfies SegmentMembershipEvent })),
    ]);
  }

  private async find(tenantId: string, id: string): Promise<Segment> {
    const s = await this.repo.find(tenantId, id);
    if (!s) throw AppError.notFound(ErrorCode.SEGMENT_NOT_FOUND, 'Segment', id);
    return s;
  }

  private async saveMapped(tenantId: string, s: Partial<Segment>, name: string): Promise<Segment> {
    try {
      return await this.repo.save(s);
    } catch (e) {
      if (isUniqueViolation(e)) throw this.nameTaken(name);
      throw e;
    }
  }

  private nameTaken(name: string): AppError {
    return new AppError(ErrorCode.SEGMENT_EXISTS, `A segment named ${name} already exists`, [{ field: 'name', message: 'is already used by another segment' }]);
  }
}

function toDto(s: Segment, memberCount: number, membershipJobId?: string): SegmentDto {
  return {
    id: s.id, name: s.name, description: s.description, rule: s.rule, memberCount,
    evaluatedAt: s.evaluatedAt ? new Date(s.evaluatedAt).toISOString() : null,
    createdAt: new Date(s.createdAt).toISOString(), updatedAt: new Date(s.updatedAt).toISOString(),
    ...(membershipJobId ? { membershipJobId } : {}),
  };
}
