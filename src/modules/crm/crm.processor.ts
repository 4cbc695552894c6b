import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../infra/queue';
import { CRM_JOBS, CRM_SYNC_QUEUE, CrmSyncService } from './crm-sync.service';

interface SyncJob {
  name: string;
  data: { runId?: string };
  updateProgress(p: object): Promise<void>;
}

/** Thin: a 'sync' job runs one sync run; 'dispatch-due' (every minute) starts the scheduled ones. */
@Processor(CRM_SYNC_QUEUE)
export class CrmSyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sync: CrmSyncService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(CRM_SYNC_QUEUE, 'crm-dispatch-due', '* * * * *', CRM_JOBS.dispatchDue, {});
  }

  async process(job: SyncJob): Promise<unknown> {
    if (job.name === CRM_JOBS.dispatchDue) return { started: await this.sync.dispatchDue() };
    return this.sync.run(job.data.runId!, (p) => job.updateProgress(p));
  }
}
