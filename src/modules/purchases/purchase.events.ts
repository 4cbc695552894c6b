/** Domain events of the purchases module (payloads are plain data; amounts in minor units). */
export const PURCHASE_EVENTS = {
  recorded: 'purchase.recorded',
  refunded: 'purchase.refunded',
} as const;

export interface PurchaseRecordedEvent {
  tenantId: string;
  customerId: string;
  purchaseId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  occurredAt: string;
}

export interface PurchaseRefundedEvent {
  tenantId: string;
  customerId: string;
  purchaseId: string;
  orderId: string;
  /** This refund, minor units (after capping at what was left to refund). */
  refundMinor: number;
  /** Refunded in total so far. */
  refundedMinor: number;
  amountMinor: number;
  currency: string;
  occurredAt: string;
}
