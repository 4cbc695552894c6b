export const CAMPAIGNS_QUEUE = 'campaigns';
export const CAMPAIGN_JOBS = { send: 'send', dispatchDue: 'dispatch-due' } as const;
