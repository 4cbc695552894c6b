import { Module } from '@nestjs/common';
import { QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { IdentityModule } from '../identity';
import { PurchasesModule } from '../purchases';
import { LoyaltyCatchUpService } from './loyalty-catch-up.service';
import { LoyaltyLedger } from './loyalty-ledger.service';
import { LoyaltyMaintenanceService } from './loyalty-maintenance.service';
import { LoyaltyProgramController } from './loyalty-program.controller';
import { LoyaltyProgramService } from './loyalty-program.service';
import { LoyaltyPurchasesService } from './loyalty-purchases.service';
import { LoyaltyController } from './loyalty.controller';
import { LoyaltyEraser } from './loyalty.eraser';
import { LoyaltyIdempotencyRepository } from './loyalty-idempotency.repository';
import { LOYALTY_QUEUE } from './loyalty.jobs';
import { LoyaltyListener } from './loyalty.listener';
import { LoyaltyProcessor } from './loyalty.processor';
import { LoyaltyTierResolver } from './loyalty-tier.resolver';
import { LoyaltyRepository } from './loyalty.repository';
import { LoyaltyService } from './loyalty.service';

@Module({
  imports: [IdentityModule, CustomersModule, PurchasesModule, QueueModule.registerQueue(LOYALTY_QUEUE)],
  controllers: [LoyaltyController, LoyaltyProgramController],
  providers: [
    LoyaltyRepository, LoyaltyIdempotencyRepository, LoyaltyProgramService, LoyaltyLedger, LoyaltyService, LoyaltyPurchasesService, LoyaltyMaintenanceService, LoyaltyCatchUpService,
    LoyaltyProcessor, LoyaltyListener, LoyaltyTierResolver, LoyaltyEraser,
  ],
  exports: [LoyaltyService, LoyaltyProgramService],
})
export class LoyaltyModule {}
