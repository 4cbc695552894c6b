import { CampaignDto } from './dto/campaign.dto';
import { Campaign } from './entities/campaign.entity';

export function toCampaignDto(c: Campaign): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    segmentId: c.segmentId,
    channel: c.channel,
    template: c.template,
    scheduledAt: c.scheduledAt,
    status: c.status,
    jobId: c.jobId,
    startedAt: c.startedAt,
    completedAt: c.completedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
