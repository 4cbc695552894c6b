export { PurchasesModule } from './purchases.module';
export { PurchasesService } from './purchases.service';
export type { BulkRecordOutcome, PurchaseSummary, RecordPurchaseInput, RecordRefundInput, RecordResult } from './purchases.service';
export { PURCHASE_EVENTS } from './purchase.events';
export type { PurchaseRecordedEvent, PurchaseRefundedEvent } from './purchase.events';
export type { Purchase, PurchaseAmounts, PurchaseItem, PurchaseStatus } from './entities/purchase.entity';
