export { LoyaltyModule } from './loyalty.module';
export { LoyaltyService } from './loyalty.service';
export { LoyaltyProgramService } from './loyalty-program.service';
export { LOYALTY_EVENTS } from './loyalty.events';
export type { LoyaltyPointsEvent, LoyaltyTierChangedEvent } from './loyalty.events';
export { LOYALTY_JOBS, LOYALTY_QUEUE } from './loyalty.jobs';
export { LoyaltySummaryDto, ExpiringPointsDto, PendingDowngradeDto } from './dto/loyalty.dto';
