import { decode, encode, isWithinTokenLimit } from 'gpt-tokenizer';

/** Tokens are counted with OpenAI's o200k_base encoding (gpt-tokenizer's default): close to most current models. */
export const TOKENIZER = 'o200k_base';

/** One fact of a section: its Markdown line and its JSON value (under `key` in an object section). */
export interface SectionItem {
  text: string;
  key?: string;
  value: unknown;
}

/** A ranked part of the context. Lower `priority` numbers are more important and are trimmed last. */
export interface ContextSectionDraft {
  key: string;
  title: string;
  priority: number;
  shape: 'object' | 'list';
  /** Most important first: trimming drops from the end. */
  items: SectionItem[];
}

export interface SectionTrim {
  section: string;
  droppedItems: number;
  removed: boolean;
}

export interface Fitted {
  content: string;
  tokens: number;
  trimmed: SectionTrim[];
}

export type Renderer = (sections: ContextSectionDraft[]) => string;

function tokensWithin(text: string, maxTokens: number): number | false {
  return isWithinTokenLimit(text, maxTokens);
}

/**
 * Renders `sections` and trims until the text fits `maxTokens`: items are dropped from the end of the
 * least important section first, a section left empty is dropped whole, then the next section is trimmed.
 * If even the header alone does not fit, the text is cut at the token limit, so the budget is never exceeded.
 */
export function fitToBudget(sections: ContextSectionDraft[], maxTokens: number, render: Renderer): Fitted {
  const work = sections.map((s) => ({ ...s, items: [...s.items] })).sort((a, b) => a.priority - b.priority);
  const trims = new Map<string, SectionTrim>();
  let text = render(work);
  let tokens = tokensWithin(text, maxTokens);
  for (let i = work.length - 1; i >= 0 && tokens === false; i--) {
    const section = work[i];
    const trim: SectionTrim = { section: section.key, droppedItems: 0, removed: false };
    trims.set(section.key, trim);
    while (tokens === false && section.items.length > 0) {
      // Big sections shrink by a quarter at a time, then one by one near the fit: few re-renders, tight result.
      const drop = section.items.length > 8 ? Math.ceil(section.items.length / 4) : 1;
      section.items.splice(section.items.length - drop, drop);
      trim.droppedItems += drop;
      text = render(work);
      tokens = tokensWithin(text, maxTokens);
    }
    if (tokens === false) {
      trim.removed = true;
      work.splice(i, 1);
      text = render(work);
      tokens = tokensWithin(text, maxTokens);
    }
  }
  if (tokens === false) {
    text = decode(encode(text).slice(0, maxTokens));
    tokens = tokensWithin(text, maxTokens) || maxTokens;
  }
  return { content: text, tokens, trimmed: [...trims.values()].filter((t) => t.droppedItems > 0 || t.removed) };
}
