import { Inject, Injectable } from '@nestjs/common';
import { JobQueue } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { AudienceRegistry } from '../audience';
import { CAMPAIGN_JOBS, CAMPAIGNS_QUEUE } from './campaign-queue';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignStatsDto, CreateCampaignDto, ListCampaignsQueryDto, UpdateCampaignDto } from './dto/campaign.dto';
import { EXCLUSION_REASONS } from './entities/campaign-recipient.entity';
import { Campaign, CampaignChannel, CampaignStatus, CampaignTemplate } from './entities/campaign.entity';

const EDITABLE: CampaignStatus[] = ['draft', 'scheduled'];

/** Campaigns: drafting, scheduling, starting and cancelling sends, and their stats. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audiences: AudienceRegistry,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async create(tenantId: string, dto: CreateCampaignDto): Promise<Campaign> {
    await this.assertSegment(tenantId, dto.segmentId);
    assertTemplate(dto.channel, dto.template);
    const scheduledAt = dto.scheduledAt ? futureDate(dto.scheduledAt) : null;
    return this.repo.insert({
      tenantId,
      name: dto.name,
      segmentId: dto.segmentId,
      channel: dto.channel,
      template: { ...(dto.template.subject ? { subject: dto.template.subject } : {}), body: dto.template.body },
      scheduledAt,
      status: scheduledAt ? 'scheduled' : 'draft',
      jobId: null,
      startedAt: null,
      completedAt: null,
    });
  }

  async get(tenantId: string, id: string): Promise<Campaign> {
    const c = await this.repo.find(tenantId, id);
    if (!c) throw AppError.notFound(ErrorCode.CAMPAIGN_NOT_FOUND, 'Campaign', id);
    return c;
  }

  async list(tenantId: string, q: ListCampaignsQueryDto): Promise<Page<Campaign>> {
    const limit = q.limit ?? 20;
    const r = await this.repo.list(tenantId, limit, q.cursor, q.status);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  /** Only drafts and scheduled campaigns change; a campaign that started sending is what was sent. */
  async update(tenantId: string, id: string, dto: UpdateCampaignDto): Promise<Campaign> {
    const current = await this.get(tenantId, id);
    if (!EDITABLE.includes(current.status)) throw this.wrongState(current, 'changed');
    if (dto.segmentId !== undefined && dto.segmentId !== current.segmentId) await this.assertSegment(tenantId, dto.segmentId);
    const channel = dto.channel ?? current.channel;
    const template = dto.template ?? current.template;
    assertTemplate(channel, template);
    const patch: Partial<Campaign> = { channel, template };
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.segmentId !== undefined) patch.segmentId = dto.segmentId;
    if (dto.scheduledAt !== undefined) {
      patch.scheduledAt = dto.scheduledAt === null ? null : futureDate(dto.scheduledAt);
      patch.status = patch.scheduledAt ? 'scheduled' : 'draft';
    }
    if (!(await this.repo.transition(id, EDITABLE, { ...patch, status: patch.status ?? current.status }))) throw this.wrongState(await this.get(tenantId, id), 'changed');
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const c = await this.get(tenantId, id);
    if (c.status === 'sending') throw this.wrongState(c, 'deleted (cancel it first)');
    await this.repo.delete(tenantId, id);
  }

  /** Starts sending now (a draft or a scheduled campaign). */
  async send(tenantId: string, id: string): Promise<{ campaign: Campaign; jobId: string }> {
    const c = await this.get(tenantId, id);
    if (!this.audiences.audienceResolver()) throw new AppError(ErrorCode.INVALID_STATE, 'Campaigns need the segments module to resolve their audience');
    if (!(await this.repo.transition(id, EDITABLE, { status: 'sending', startedAt: new Date() }))) throw this.wrongState(c, 'sent');
    const jobId = await this.enqueue(c);
    return { campaign: await this.get(tenantId, id), jobId };
  }

  /** Stops a campaign before or while it sends; members reached already stay reached. */
  async cancel(tenantId: string, id: string): Promise<Campaign> {
    const c = await this.get(tenantId, id);
    if (!(await this.repo.transition(id, ['draft', 'scheduled', 'sending'], { status: 'cancelled', completedAt: new Date() }))) throw this.wrongState(c, 'cancelled');
    return this.get(tenantId, id);
  }

  /** Starts the scheduled campaigns that are due; the status change makes one instance win each. */
  async dispatchDue(now = new Date()): Promise<number> {
    let started = 0;
    for (const c of await this.repo.due(now, 100)) {
      if (!(await this.repo.transition(c.id, ['scheduled'], { status: 'sending', startedAt: now }))) continue;
      await this.enqueue(c);
      started++;
    }
    return started;
  }

  async stats(tenantId: string, id: string): Promise<CampaignStatsDto> {
    const c = await this.get(tenantId, id);
    const rows = await this.repo.outcomes(id);
    const byReason = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as unknown as CampaignStatsDto['excludedByReason'];
    let sent = 0;
    let excluded = 0;
    for (const r of rows) {
      if (r.status === 'sent') sent += r.count;
      else {
        excluded += r.count;
        if (r.reason && r.reason in byReason) byReason[r.reason as keyof typeof byReason] += r.count;
      }
    }
    return { campaignId: id, status: c.status, processed: sent + excluded, sent, excluded, excludedByReason: byReason };
  }

  private async enqueue(c: Campaign): Promise<string> {
    const job = await this.jobs.add(CAMPAIGNS_QUEUE, CAMPAIGN_JOBS.send, { tenantId: c.tenantId, campaignId: c.id });
    await this.repo.update(c.id, { jobId: job.id });
    return job.id;
  }

  private async assertSegment(tenantId: string, segmentId: string): Promise<void> {
    const resolver = this.audiences.audienceResolver();
    if (!resolver) throw AppError.validation('segmentId', 'campaign audiences need the segments module, which is not installed');
    if (!(await resolver.segmentExists(tenantId, segmentId))) throw AppError.validation('segmentId', `segment ${segmentId} does not exist`);
  }

  private wrongState(c: Campaign, what: string): AppError {
    return new AppError(ErrorCode.INVALID_STATE, `A ${c.status} campaign cannot be ${what}`, { status: c.status });
  }
}

function assertTemplate(channel: CampaignChannel, template: CampaignTemplate): void {
  if (channel === 'email' && !template.subject) throw AppError.validation('template.subject', 'is required for email campaigns');
}

function futureDate(iso: string): Date {
  const d = new Date(iso);
  if (d.getTime() <= Date.now()) throw AppError.validation('scheduledAt', 'must be in the future');
  return d;
}
