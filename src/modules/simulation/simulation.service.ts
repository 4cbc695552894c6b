import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueue, JobView } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomersService } from '../customers';
import { HealthRecomputeService } from '../health-score';
import { ActivityEnvelope, ActivityIngestService } from './activity-ingest.service';
import { OutageDto, OutageResultDto, PulseDto, ResetResultDto } from './dto/simulation.dto';
import { pulseEnvelopes, seededRandom } from './simulated-activity';
import { SIMULATION_SOURCE, SimulationRepository } from './simulation.repository';

export const SIMULATION_QUEUE = 'simulation';
/** Customers whose events go into one ingest call. */
const INGEST_CUSTOMERS = 50;

export interface PulseResult {
  customers: number;
  createdCustomers: number;
  events: number;
  days: number;
  historyDays: number;
}

/** Demo data: simulated customers with usage, login and ticket events sent through the ingest path. */
@Injectable()
export class SimulationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    private readonly repo: SimulationRepository,
    private readonly ingest: ActivityIngestService,
    private readonly customers: CustomersService,
    private readonly health: HealthRecomputeService,
  ) {}

  startPulse(tenantId: string, dto: PulseDto): Promise<JobView> {
    this.assertEnabled();
    const seed = dto.seed ?? randomBytes(4).readUInt32BE() >>> 1;
    return this.jobs.add(SIMULATION_QUEUE, 'pulse', { tenantId, customers: dto.customers, days: dto.days, seed });
  }

  /** The pulse job: events for `customers` simulated customers over `days` days, then scores and their daily history. */
  async runPulse(tenantId: string, p: { customers: number; days: number; seed: number }, onProgress?: (percent: number) => unknown): Promise<PulseResult> {
    this.assertEnabled();
    const ids = await this.repo.simulatedCustomerIds(tenantId, p.customers);
    const created = p.customers - ids.length;
    for (let i = 0; i < created; i++) {
      const tag = randomBytes(4).toString('hex');
      const c = await this.customers.create(tenantId, {
        externalId: `sim-${tag}`, firstName: 'Sim', lastName: `Customer ${tag}`, email: `sim-${tag}@simulated.example`,
        source: SIMULATION_SOURCE, tags: ['simulated'],
      });
      ids.push(c.id);
    }
    const rng = seededRandom(p.seed);
    const now = new Date();
    let events = 0;
    for (let i = 0; i < ids.length; i += INGEST_CUSTOMERS) {
      const batch = ids.slice(i, i + INGEST_CUSTOMERS).flatMap((id) => pulseEnvelopes(id, p.days, rng, now));
      events += (await this.ingest.ingest(tenantId, batch)).accepted;
      await onProgress?.(Math.floor(((i + INGEST_CUSTOMERS) / ids.length) * 80));
    }
    // Scores as they were at the end of each simulated day, then today's.
    const historyDays = p.days - 1;
    await this.health.backfillHistory(tenantId, historyDays, now);
    await onProgress?.(95);
    await this.health.recomputeTenant(tenantId, { asOf: now });
    return { customers: ids.length, createdCustomers: created, events, days: p.days, historyDays };
  }

  /** Opens a ticket of `severity` now for a share of the simulated customers. */
  async outage(tenantId: string, dto: OutageDto): Promise<OutageResultDto> {
    this.assertEnabled();
    const ids = await this.repo.simulatedCustomerIds(tenantId);
    if (!ids.length) throw new AppError(ErrorCode.UNPROCESSABLE, 'There are no simulated customers; run POST /simulate/pulse first');
    const rng = seededRandom(dto.seed ?? randomBytes(4).readUInt32BE());
    const hit = shuffle(ids, rng).slice(0, Math.max(1, Math.round(ids.length * dto.share)));
    const severity = dto.severity ?? 'critical';
    const at = new Date().toISOString();
    const envelopes: ActivityEnvelope[] = hit.map((customerId) => ({
      id: randomUUID(), type: 'support_ticket', customerId, occurredAt: at, source: SIMULATION_SOURCE,
      data: { ticketId: `sim-outage-${randomUUID()}`, subject: `Simulated outage (${severity})`, severity, status: 'open' },
    }));
    await this.ingest.ingest(tenantId, envelopes);
    return { customers: hit.length, tickets: envelopes.length, severity };
  }

  /** Removes the simulated customers and, by cascade, everything they own; real customers are untouched. */
  async reset(tenantId: string): Promise<ResetResultDto> {
    this.assertEnabled();
    const ids = await this.repo.simulatedCustomerIds(tenantId);
    for (const id of ids) await this.customers.hardDelete(tenantId, id);
    return { customersRemoved: ids.length };
  }

  private assertEnabled(): void {
    if (!this.config.simulationEnabled) {
      throw new AppError(ErrorCode.SIMULATION_DISABLED, 'Simulation is disabled; set SIMULATION_ENABLED=true to use /simulate');
    }
  }
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
