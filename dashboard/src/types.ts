/** The shapes of the API answers the dashboard reads (see /api-docs for the full contract). */
export interface Bands { healthy: number; at_risk: number; critical: number }
export interface Overview { customers: number; active30d: number; averageHealth: number | null; bands: Bands; revenue30d: number; currency: string; openTickets: number }
export interface HealthTrends { days: number; data: Array<{ day: string; averageScore: number | null; customers: number; bands: Bands }> }
export interface ChurnRisk { data: Array<{ customerId: string; name: string | null; email: string | null; risk: number; score: number; band: string; reasons: Array<{ code: string; message: string }> }> }
export interface Usage { days: number; customerId: string | null; totalApiCalls: number; data: Array<{ day: string; apiCalls: number }> }
export interface LoginHeatmap { days: number; timezone: string; weekdays: string[]; total: number; max: number; cells: number[][] }
export interface PageInfo { limit: number; nextCursor?: string | null; total?: number }
export interface Customer {
  id: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null; companyName: string | null;
  type: string; status: string; tags: string[]; externalId: string | null; source: string | null; createdAt: string; lastSeenAt: string | null;
}
export interface Page<T> { data: T[]; page: PageInfo }
export interface Note { id: string; body: string; type: string; pinned: boolean; createdAt: string; source: string | null }
export interface TimelineItem { id: string; kind: string; type: string; at: string; summary: string }
export interface Health {
  score: number; band: string; computedAt: string; change7d: number | null; change30d: number | null;
  components: {
    usage: { score: number; weight: number; apiCalls: number; target: number };
    engagement: { score: number; weight: number; logins: number; target: number };
    incidents: { score: number; weight: number; penalty: number; ticketCount: number };
  };
}
export interface Metrics {
  currency: string; orderCount: number; totalSpentMinor: number; averageOrderValueMinor: number | null; lastPurchaseAt: string | null;
  frequencyBand: string | null; isRepeat: boolean; clv?: { predicted12mMinor?: number | null } | null;
}
export interface Loyalty { programEnabled: boolean; tier: string | null; balance: number; lifetimeEarned: number; nextTier: string | null; pointsToNextTier: number | null }
export interface LiveEvent { customerId: string; eventId: string; type: string; occurredAt: string }
