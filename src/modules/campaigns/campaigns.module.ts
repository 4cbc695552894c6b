import { Module } from '@nestjs/common';
import { QueueModule } from '../../infra/queue';
import { CAMPAIGNS_QUEUE } from './campaign-queue';
import { CampaignSender } from './campaign-sender.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsProcessor } from './campaigns.processor';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [QueueModule.registerQueue(CAMPAIGNS_QUEUE)],
  controllers: [CampaignsController],
  providers: [CampaignsRepository, CampaignsService, CampaignSender, CampaignsProcessor],
  exports: [CampaignsService],
})
export class CampaignsModule {}
