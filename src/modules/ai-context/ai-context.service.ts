import { Injectable } from '@nestjs/common';
import { AuthPrincipal, roleAtLeast } from '../../infra/auth';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomerContextService } from '../events';
import { buildSections } from './ai-context-sections';
import { jsonRenderer, markdownRenderer } from './ai-context.render';
import { AI_CONTEXT_DEFAULT_TOKENS, AiContextDto, AiContextFormat } from './dto/ai-context.dto';
import { fitToBudget, TOKENIZER } from './token-budget';

export interface AiContextOptions {
  format?: AiContextFormat;
  maxTokens?: number;
  /** Unmasked email, phone and addresses: admin or owner only. */
  pii?: boolean;
}

/** A customer summarised for an LLM prompt: ranked sections, PII masked, within a token budget. */
@Injectable()
export class AiContextService {
  constructor(private readonly context: CustomerContextService) {}

  async build(principal: AuthPrincipal, customerId: string, opts: AiContextOptions = {}): Promise<AiContextDto> {
    const pii = opts.pii === true;
    if (pii && !roleAtLeast(principal.role, 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN, 'pii=true (unmasked contact details) needs the admin role or higher', { required: 'admin' });
    }
    const format = opts.format ?? 'markdown';
    const maxTokens = opts.maxTokens ?? AI_CONTEXT_DEFAULT_TOKENS;
    const ctx = await this.context.build(principal.tenantId, customerId);
    const render = format === 'json' ? jsonRenderer(customerId, !pii) : markdownRenderer(!pii);
    const fitted = fitToBudget(buildSections(ctx, pii), maxTokens, render);
    return {
      format,
      customerId,
      content: format === 'json' ? parseJson(fitted.content, customerId) : fitted.content,
      tokens: fitted.tokens,
      maxTokens,
      truncated: fitted.trimmed.length > 0,
      trimmed: fitted.trimmed,
      piiMasked: !pii,
      tokenizer: TOKENIZER,
    };
  }
}

// A JSON rendering is only cut mid-text when not even its header fits, which the 200-token minimum rules out.
function parseJson(text: string, customerId: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { customerId };
  }
}
