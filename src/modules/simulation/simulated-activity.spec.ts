import { pulseEnvelopes, seededRandom } from './simulated-activity';

describe('simulated activity', () => {
  const now = new Date('2026-11-23T08:30:00Z');

  it('is the same for the same seed', () => {
    const strip = (e: ReturnType<typeof pulseEnvelopes>) => e.map(({ id: _i, data, ...rest }) => ({ ...rest, data: { ...data, ticketId: undefined } }));
    expect(strip(pulseEnvelopes('c1', 20, seededRandom(42), now))).toEqual(strip(pulseEnvelopes('c1', 20, seededRandom(42), now)));
  });

  it('covers exactly the last N days and never goes past now', () => {
    const events = pulseEnvelopes('c1', 5, seededRandom(1), now);
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2026-11-19T00:00:00Z'));
    expect(events.filter((e) => e.type === 'usage').length).toBe(5);
  });
});
