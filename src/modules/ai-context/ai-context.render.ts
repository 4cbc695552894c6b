import { ContextSectionDraft, Renderer } from './token-budget';

/** Markdown for a prompt: a heading per section, one bullet per fact, in rank order. */
export function markdownRenderer(piiMasked: boolean): Renderer {
  const header = `# Customer context${piiMasked ? ' (contact details masked)' : ''}`;
  return (sections: ContextSectionDraft[]) =>
    [header, ...sections.map((s) => [`## ${s.title}`, ...s.items.map((i) => `- ${i.text}`)].join('\n'))].join('\n\n');
}

/** Compact JSON: object sections as {key: value}, list sections as arrays; counted exactly as serialised. */
export function jsonRenderer(customerId: string, piiMasked: boolean): Renderer {
  return (sections: ContextSectionDraft[]) => {
    const out: Record<string, unknown> = { customerId, piiMasked };
    for (const s of sections) {
      out[s.key] = s.shape === 'object' ? Object.fromEntries(s.items.map((i) => [i.key ?? i.text, i.value])) : s.items.map((i) => i.value);
    }
    return JSON.stringify(out);
  };
}
