/** Trigrams of one word as pg_trgm makes them: lower-cased, padded with two spaces before and one after. */
function trigramsOf(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Typo-tolerant match score in [0, 1], close to pg_trgm's word_similarity: 1 when `text` contains `query`,
 * else the best trigram overlap between the query and any run of words of the text.
 * SQLite gets it as the SQL function ciq_word_similarity so both drivers rank alike.
 */
export function wordSimilarity(query: string, text: string): number {
  const q = query.toLowerCase().trim();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t.includes(q)) return 1;
  const qWords = q.match(WORD) ?? [];
  const tWords = t.match(WORD) ?? [];
  if (!qWords.length || !tWords.length) return 0;
  const qGrams = new Set(qWords.flatMap((w) => [...trigramsOf(w)]));
  let best = 0;
  // Compare against windows of as many text words as the query has.
  for (let i = 0; i < tWords.length; i++) {
    const window = tWords.slice(i, i + qWords.length);
    const tGrams = new Set(window.flatMap((w) => [...trigramsOf(w)]));
    let common = 0;
    for (const g of qGrams) if (tGrams.has(g)) common++;
    const score = common / (qGrams.size + tGrams.size - common);
    if (score > best) best = score;
  }
  return best;
}

/** Below this a text search hit is not shown. */
export const TYPO_SIMILARITY_THRESHOLD = 0.45;
