import { Accepted, activityRows, ticketRows, workOrderRows } from './event-effects';

const ev = (type: string, at: string, data: Record<string, unknown>, extra: Partial<Accepted> = {}): Accepted => ({
  tenantId: 't', customerId: 'c1', eventId: `e-${at}`, type, occurredAt: new Date(at), data, baseCurrency: 'USD', ...extra,
});

describe('event effects (row builders)', () => {
  it('one ticket row per ticket: latest state wins, opened at the first event, closed when resolved or closed', () => {
    const { rows, domainEvents } = ticketRows([
      ev('support_ticket', '2026-01-02T00:00:00Z', { ticketId: 'T', subject: 'B', severity: 'high', status: 'resolved' }),
      ev('support_ticket', '2026-01-01T00:00:00Z', { ticketId: 'T', subject: 'A', severity: 'low', status: 'open' }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: 'B', severity: 'high', status: 'resolved', openedAt: new Date('2026-01-01T00:00:00Z'), closedAt: new Date('2026-01-02T00:00:00Z') });
    expect(domainEvents).toEqual([{ name: 'ticket.changed', payload: expect.objectContaining({ ticketId: 'T', status: 'resolved' }) }]);
  });

  it('work orders merge fields: a later event without a field keeps the earlier value', () => {
    const { rows } = workOrderRows([
      ev('work_order', '2026-01-01T00:00:00Z', { workOrderId: 'W', status: 'scheduled', description: 'Seal' }, { costMinor: 2550 }),
      ev('work_order', '2026-01-03T00:00:00Z', { workOrderId: 'W', status: 'completed' }, { costMinor: null }),
    ]);
    expect(rows).toEqual([expect.objectContaining({ status: 'completed', description: 'Seal', costMinor: 2550, currency: 'USD' })]);
  });

  it('activity: lastSeenAt from sightings (not outbound contact, notes or profile edits), lastContactedAt from any contact', () => {
    const rows = activityRows([
      ev('login', '2026-01-01T00:00:00Z', {}),
      ev('contact', '2026-01-05T00:00:00Z', { direction: 'outbound' }),
      ev('note', '2026-01-06T00:00:00Z', {}),
      ev('profile_update', '2026-01-07T00:00:00Z', {}),
      ev('contact', '2026-01-03T00:00:00Z', { direction: 'inbound' }),
    ]);
    expect(rows).toEqual([{ id: 'c1', seenAt: new Date('2026-01-03T00:00:00Z'), contactedAt: new Date('2026-01-05T00:00:00Z') }]);
  });
});
