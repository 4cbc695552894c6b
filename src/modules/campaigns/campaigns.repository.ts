import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { AudienceContact } from './eligibility';
import { CampaignRecipient } from './entities/campaign-recipient.entity';
import { Campaign, CampaignStatus } from './entities/campaign.entity';

interface ContactRow {
  id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  deleted_at: unknown;
  has_prefs: unknown;
  do_not_contact: unknown;
  channels: unknown;
  marketing_consent: unknown;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The only place that touches TypeORM for campaigns and their recipients. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Timestamps come from the application: the column defaults (whole seconds on SQLite, microseconds on Postgres) break keyset pages. */
  insert(c: Partial<Campaign>): Promise<Campaign> {
    const now = new Date();
    return this.ds.manager.save(Campaign, this.ds.manager.create(Campaign, { createdAt: now, updatedAt: now, ...c }));
  }

  find(tenantId: string, id: string): Promise<Campaign | null> {
    return this.ds.manager.findOne(Campaign, { where: { tenantId, id } });
  }

  findById(id: string): Promise<Campaign | null> {
    return this.ds.manager.findOne(Campaign, { where: { id } });
  }

  async update(id: string, patch: Partial<Campaign>): Promise<void> {
    await this.ds.manager.update(Campaign, { id }, patch as never);
  }

  /** Moves a campaign between statuses only from one of `from`: two requests racing cannot both win. */
  async transition(id: string, from: CampaignStatus[], patch: Partial<Campaign> & { status: CampaignStatus }): Promise<boolean> {
    const res = await this.ds.manager.createQueryBuilder().update(Campaign).set(patch as never).where('id = :id AND status IN (:...from)', { id, from }).execute();
    return (res.affected ?? 0) === 1;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.ds.manager.delete(Campaign, { tenantId, id });
  }

  /** Newest first (ix_campaigns_tenant). */
  async list(tenantId: string, limit: number, cursor?: string, status?: CampaignStatus[]): Promise<{ rows: Campaign[]; nextCursor: string | null }> {
    const qb = this.ds.manager.createQueryBuilder(Campaign, 'c').where('c.tenant_id = :tenantId', { tenantId });
    if (status?.length) qb.andWhere('c.status IN (:...status)', { status });
    if (cursor) {
      const pos = decodeCursor(cursor);
      qb.andWhere('(c.created_at < :cv OR (c.created_at = :cv AND c.id < :cid))', { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** Scheduled campaigns whose time has come (ix_campaigns_due). */
  due(now: Date, limit: number): Promise<Campaign[]> {
    return this.ds.manager
      .createQueryBuilder(Campaign, 'c')
      .where('c.status = :s AND c.scheduled_at <= :now', { s: 'scheduled', now })
      .orderBy('c.scheduled_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Contact details and marketing preferences of audience members in one query. customer_preferences belongs to
   * the preferences module; it is read here by table name (channels, do_not_contact, marketing_consent) so
   * campaigns need no code from that module.
   */
  async audienceContacts(tenantId: string, ids: string[]): Promise<Map<string, AudienceContact>> {
    if (!ids.length) return new Map();
    const rows = await this.ds
      .createQueryBuilder()
      .select(['c.id AS id', 'c.email AS email', 'c.phone AS phone', 'c.first_name AS first_name', 'c.last_name AS last_name', 'c.deleted_at AS deleted_at'])
      .addSelect(['p.customer_id AS has_prefs', 'p.do_not_contact AS do_not_contact', 'p.channels AS channels', 'p.marketing_consent AS marketing_consent'])
      .from('customers', 'c')
      .leftJoin('customer_preferences', 'p', 'p.customer_id = c.id AND p.tenant_id = c.tenant_id')
      .where('c.tenant_id = :tenantId AND c.id IN (:...ids)', { tenantId, ids })
      .getRawMany<ContactRow>();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          email: r.email,
          phone: r.phone,
          firstName: r.first_name,
          lastName: r.last_name,
          deleted: r.deleted_at !== null && r.deleted_at !== undefined,
          preferences: r.has_prefs
            ? {
                doNotContact: r.do_not_contact === true || r.do_not_contact === 1,
                channels: (json(r.channels) ?? {}) as Record<string, boolean>,
                marketingConsent: (json(r.marketing_consent) ?? null) as { granted?: boolean } | null,
              }
            : null,
        },
      ]),
    );
  }

  async handledIds(campaignId: string, customerIds: string[]): Promise<Set<string>> {
    if (!customerIds.length) return new Set();
    const rows = await this.ds.manager.find(CampaignRecipient, { select: { customerId: true }, where: { campaignId, customerId: In(customerIds) } });
    return new Set(rows.map((r) => r.customerId));
  }

  async recordRecipients(rows: Array<Omit<CampaignRecipient, 'createdAt' | 'campaign' | 'customer'>>): Promise<void> {
    if (!rows.length) return;
    const now = new Date();
    await this.ds.manager.createQueryBuilder().insert().into(CampaignRecipient).values(rows.map((r) => ({ ...r, createdAt: now }))).orIgnore().updateEntity(false).execute();
  }

  /** Outcome counts (ix_campaign_recipients_outcome). */
  async outcomes(campaignId: string): Promise<Array<{ status: string; reason: string | null; count: number }>> {
    const rows = await this.ds.manager
      .createQueryBuilder(CampaignRecipient, 'r')
      .select('r.status', 'status')
      .addSelect('r.reason', 'reason')
      .addSelect('COUNT(*)', 'count')
      .where('r.campaign_id = :campaignId', { campaignId })
      .groupBy('r.status')
      .addGroupBy('r.reason')
      .getRawMany<{ status: string; reason: string | null; count: string }>();
    return rows.map((r) => ({ status: r.status, reason: r.reason, count: Number(r.count) }));
  }
}
