/** In-process domain events of the segments module, emitted after membership changed. */
export const SEGMENT_EVENTS = {
  entered: 'segment.entered',
  exited: 'segment.exited',
} as const;

export interface SegmentMembershipEvent {
  tenantId: string;
  segmentId: string;
  segmentName: string;
  customerId: string;
  at: string;
}
