export { CrmModule } from './crm.module';
export { CrmConnectionsService } from './crm-connections.service';
export { CrmSyncService, CRM_SYNC_QUEUE } from './crm-sync.service';
