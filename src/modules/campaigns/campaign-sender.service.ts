import { Injectable, Logger } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { AudienceRegistry } from '../audience';
import { deterministicEventId } from '../webhooks';
import { CampaignsRepository } from './campaigns.repository';
import { exclusionReason } from './eligibility';
import { CampaignRecipient } from './entities/campaign-recipient.entity';
import { Campaign } from './entities/campaign.entity';

export const CAMPAIGN_SEND_EVENT = 'campaign.send';
const PAGE = 200;

type Progress = (p: object) => Promise<void> | void;

/**
 * Sends a campaign: walks the segment's members page by page, excludes those who must not be contacted (with the
 * reason), and emits one campaign.send domain event per eligible customer, which the webhooks module delivers.
 * Resumable: the event id is derived from (campaign, customer), so an event re-emitted after a crash is the
 * same event, and members already recorded are skipped.
 */
@Injectable()
export class CampaignSender {
  private readonly log = new Logger('Campaigns');

  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audiences: AudienceRegistry,
    private readonly events: DomainEventBus,
  ) {}

  async send(campaignId: string, progress: Progress = () => undefined): Promise<Record<string, unknown>> {
    let campaign = await this.repo.findById(campaignId);
    if (campaign?.status !== 'sending') return { skipped: true, status: campaign?.status ?? 'missing' };
    const resolver = this.audiences.audienceResolver();
    if (!resolver) throw new Error('no audience resolver registered: install the segments module');
    let cursor: string | null = null;
    let processed = 0;
    let sent = 0;
    do {
      const page = await resolver.listMembers(campaign.tenantId, campaign.segmentId, cursor, PAGE);
      const done = await this.repo.handledIds(campaign.id, page.customerIds);
      const todo = page.customerIds.filter((id) => !done.has(id));
      const contacts = await this.repo.audienceContacts(campaign.tenantId, todo);
      const rows: Array<Omit<CampaignRecipient, 'createdAt' | 'campaign' | 'customer'>> = [];
      for (const customerId of todo) {
        const reason = exclusionReason(contacts.get(customerId), campaign.channel);
        if (reason) {
          rows.push({ campaignId: campaign.id, customerId, tenantId: campaign.tenantId, status: 'excluded', reason, eventId: null });
          continue;
        }
        const dedupeKey = `${campaign.id}:${customerId}`;
        await this.events.publishAsync([{ name: CAMPAIGN_SEND_EVENT, payload: this.payload(campaign, contacts.get(customerId)!, dedupeKey) }]);
        rows.push({ campaignId: campaign.id, customerId, tenantId: campaign.tenantId, status: 'sent', reason: null, eventId: deterministicEventId(CAMPAIGN_SEND_EVENT, dedupeKey) });
        sent++;
      }
      // Recorded after the events went out: a crash in between re-emits them (same ids) rather than losing them.
      await this.repo.recordRecipients(rows);
      processed += todo.length;
      await progress({ processed, sent, excluded: processed - sent });
      cursor = page.nextCursor;
      campaign = await this.repo.findById(campaignId);
      if (campaign?.status !== 'sending') {
        this.log.log(`campaign ${campaignId} stopped while sending (${campaign?.status ?? 'deleted'})`);
        return { processed, sent, stopped: true };
      }
    } while (cursor);
    await this.repo.transition(campaignId, ['sending'], { status: 'sent', completedAt: new Date() });
    return { processed, sent, excluded: processed - sent };
  }

  private payload(c: Campaign, contact: { id: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null }, dedupeKey: string): Record<string, unknown> {
    return {
      tenantId: c.tenantId,
      customerId: contact.id,
      dedupeKey,
      campaign: { id: c.id, name: c.name, channel: c.channel, segmentId: c.segmentId },
      template: c.template,
      recipient: { email: contact.email, phone: contact.phone, firstName: contact.firstName, lastName: contact.lastName },
    };
  }
}
