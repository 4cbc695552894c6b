export { CampaignsModule } from './campaigns.module';
export { CampaignsService } from './campaigns.service';
export { CAMPAIGN_SEND_EVENT } from './campaign-sender.service';
