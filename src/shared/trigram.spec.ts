import { TYPO_SIMILARITY_THRESHOLD, wordSimilarity } from './trigram';

describe('wordSimilarity', () => {
  it('is 1 for a substring', () => {
    expect(wordSimilarity('windmill vent', 'bartholomew quixote windmill ventures')).toBe(1);
  });

  it('tolerates a doubled or dropped letter', () => {
    expect(wordSimilarity('quixotte', 'bartholomew quixote')).toBeGreaterThanOrEqual(TYPO_SIMILARITY_THRESHOLD);
    expect(wordSimilarity('bartolomew', 'bartholomew quixote')).toBeGreaterThanOrEqual(TYPO_SIMILARITY_THRESHOLD);
  });

  it('does not match an unrelated word that shares one trigram', () => {
    expect(wordSimilarity('bartholomew', 'customer-290759-2@example.com')).toBeLessThan(TYPO_SIMILARITY_THRESHOLD);
  });

  it('is 0 for empty input', () => {
    expect(wordSimilarity('  ', 'anything')).toBe(0);
  });
});
