import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../infra/queue';
import { CAMPAIGN_JOBS, CAMPAIGNS_QUEUE } from './campaign-queue';
import { CampaignSender } from './campaign-sender.service';
import { CampaignsService } from './campaigns.service';

interface CampaignJob {
  name: string;
  data: { campaignId?: string };
  updateProgress(p: object): Promise<void>;
}

/** Thin: 'send' runs one campaign's send; 'dispatch-due' (every minute) starts the scheduled ones. */
@Processor(CAMPAIGNS_QUEUE)
export class CampaignsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sender: CampaignSender,
    private readonly campaigns: CampaignsService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(CAMPAIGNS_QUEUE, 'campaigns-dispatch-due', '* * * * *', CAMPAIGN_JOBS.dispatchDue, {});
  }

  async process(job: CampaignJob): Promise<unknown> {
    if (job.name === CAMPAIGN_JOBS.dispatchDue) return { started: await this.campaigns.dispatchDue() };
    return this.sender.send(job.data.campaignId!, (p) => job.updateProgress(p));
  }
}
