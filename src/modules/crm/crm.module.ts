import { Module } from '@nestjs/common';
import { OutboundModule } from '../../infra/outbound';
import { QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { CrmConnectionsService } from './crm-connections.service';
import { CrmContactImporter } from './crm-contact-importer';
import { CrmProviderFactory } from './crm-provider.factory';
import { CRM_SYNC_QUEUE, CrmSyncService } from './crm-sync.service';
import { CrmController } from './crm.controller';
import { CrmSyncProcessor } from './crm.processor';
import { CrmRepository } from './crm.repository';

@Module({
  imports: [OutboundModule, CustomersModule, QueueModule.registerQueue(CRM_SYNC_QUEUE)],
  controllers: [CrmController],
  providers: [CrmRepository, CrmConnectionsService, CrmProviderFactory, CrmContactImporter, CrmSyncService, CrmSyncProcessor],
  exports: [CrmConnectionsService, CrmSyncService],
})
export class CrmModule {}
