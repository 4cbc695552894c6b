import { countTokens } from 'gpt-tokenizer';
import { ContextSectionDraft, fitToBudget } from './token-budget';

const render = (sections: ContextSectionDraft[]): string =>
  ['# Customer', ...sections.map((s) => [`## ${s.title}`, ...s.items.map((i) => `- ${i.text}`)].join('\n'))].join('\n\n');

function section(key: string, priority: number, n: number, words = 12): ContextSectionDraft {
  return {
    key, title: key, priority, shape: 'list',
    items: Array.from({ length: n }, (_, i) => ({ text: `${key} item ${i} ${'lorem ipsum '.repeat(words)}`, value: i })),
  };
}

describe('fitToBudget', () => {
  it('returns everything untouched when it fits', () => {
    const r = fitToBudget([section('profile', 1, 2, 1)], 500, render);
    expect(r.trimmed).toEqual([]);
    expect(r.tokens).toBe(countTokens(r.content));
  });

  it('trims the least important section first and never exceeds the budget', () => {
    const sections = [section('profile', 1, 3), section('events', 8, 30), section('notes', 5, 10)];
    const r = fitToBudget(sections, 400, render);
    expect(countTokens(r.content)).toBeLessThanOrEqual(400);
    expect(r.tokens).toBe(countTokens(r.content));
    expect(r.trimmed[0].section).toBe('events');
    expect(r.content).toContain('profile item 2');
    expect(r.trimmed.find((t) => t.section === 'profile')).toBeUndefined();
  });

  it('drops whole sections when trimming items is not enough', () => {
    const r = fitToBudget([section('profile', 1, 2), section('events', 8, 5, 60), section('notes', 5, 5, 60)], 200, render);
    expect(r.trimmed).toEqual(expect.arrayContaining([{ section: 'events', droppedItems: 5, removed: true }]));
    expect(countTokens(r.content)).toBeLessThanOrEqual(200);
  });

  it('cuts the text when not even the most important item fits', () => {
    const r = fitToBudget([section('profile', 1, 1, 400)], 200, render);
    expect(countTokens(r.content)).toBeLessThanOrEqual(200);
  });
});
