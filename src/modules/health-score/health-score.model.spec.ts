import { bandOf, computeHealth, DEFAULT_HEALTH_MODEL, modelErrors, ticketPenalty } from './health-score.model';

const score = (apiCalls: number, logins: number, penalty = 0) => computeHealth({ apiCalls, logins, ticketPenalty: penalty }, DEFAULT_HEALTH_MODEL);

describe('health score formula (default model)', () => {
  it('caps usage and engagement at 100 and floors incidents at 0', () => {
    expect(score(50_000, 300, 500)).toMatchObject({ usage: 100, engagement: 100, incidents: 0, score: 70 });
    expect(score(0, 0, 0)).toMatchObject({ usage: 0, engagement: 0, incidents: 100, score: 30, band: 'critical' });
  });

  it('weighs 0.4 usage, 0.3 engagement, 0.3 incidents', () => {
    expect(score(2500, 15, 15)).toMatchObject({ usage: 50, engagement: 50, incidents: 85, score: 20 + 15 + 26 });
  });

  it('rounds a weighted sum of exactly x.5 up, including sums binary floating point puts just below', () => {
    // 0.3 * 75 = 22.5 and 17 logins = 17 points: 39.5 -> 40.
    expect(score(0, 17, 25)).toMatchObject({ score: 40, band: 'at_risk' });
    // 17 + 30 + 22.5 = 69.5 -> 70.
    expect(score(2125, 30, 25)).toMatchObject({ score: 70, band: 'healthy' });
    expect(score(0, 16, 25).score).toBe(39);
  });

  it('puts 70 in healthy, 69 and 40 in at_risk, 39 in critical', () => {
    const b = DEFAULT_HEALTH_MODEL.bands;
    expect([70, 69, 40, 39, 100, 0].map((s) => bandOf(s, b))).toEqual(['healthy', 'at_risk', 'at_risk', 'critical', 'healthy', 'critical']);
    expect(score(5000, 30, 125)).toMatchObject({ score: 70, band: 'healthy' });
    expect(score(1250, 0, 0)).toMatchObject({ score: 40, band: 'at_risk' });
  });

  it('sums ticket penalties by severity', () => {
    expect(ticketPenalty(['critical', 'high', 'medium', 'low', 'low'], DEFAULT_HEALTH_MODEL.penalties)).toBe(25 + 15 + 8 + 3 + 3);
  });
});

describe('health model rules', () => {
  it('accepts the default model', () => {
    expect(modelErrors(DEFAULT_HEALTH_MODEL)).toEqual([]);
  });

  it('names weights that do not sum to 1', () => {
    expect(modelErrors({ ...DEFAULT_HEALTH_MODEL, weights: { usage: 0.5, engagement: 0.3, incidents: 0.3 } })).toEqual([
      { field: 'weights', message: expect.stringContaining('must sum to 1') },
    ]);
  });

  it('tolerates floating-point noise in the weight sum', () => {
    expect(modelErrors({ ...DEFAULT_HEALTH_MODEL, weights: { usage: 0.1, engagement: 0.2, incidents: 0.7 } })).toEqual([]);
  });

  it('requires the at-risk threshold below the healthy one', () => {
    expect(modelErrors({ ...DEFAULT_HEALTH_MODEL, bands: { healthy: 50, atRisk: 50 } })).toEqual([{ field: 'bands.atRisk', message: expect.any(String) }]);
  });
});
