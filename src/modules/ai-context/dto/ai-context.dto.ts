import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { toBool, toInt } from '../../../infra/http/pagination.dto';

export const AI_CONTEXT_FORMATS = ['markdown', 'json'] as const;
export type AiContextFormat = (typeof AI_CONTEXT_FORMATS)[number];
export const AI_CONTEXT_DEFAULT_TOKENS = 2000;
export const AI_CONTEXT_MIN_TOKENS = 200;
export const AI_CONTEXT_MAX_TOKENS = 32000;

export class AiContextQueryDto {
  @ApiPropertyOptional({ example: 'markdown', enum: AI_CONTEXT_FORMATS, default: 'markdown' })
  @IsOptional() @IsIn(AI_CONTEXT_FORMATS)
  format?: AiContextFormat;

  @ApiPropertyOptional({ example: 2000, minimum: AI_CONTEXT_MIN_TOKENS, maximum: AI_CONTEXT_MAX_TOKENS, default: AI_CONTEXT_DEFAULT_TOKENS, description: 'Token budget of `content` (o200k_base)' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(AI_CONTEXT_MIN_TOKENS) @Max(AI_CONTEXT_MAX_TOKENS)
  maxTokens?: number;

  @ApiPropertyOptional({ example: false, default: false, description: 'Unmasked email, phone and addresses; admin or owner only (others get 403)' })
  @IsOptional() @Transform(toBool) @IsBoolean()
  pii?: boolean;
}

export class AiContextTrimDto {
  @ApiProperty({ example: 'recentEvents' }) section: string;
  @ApiProperty({ example: 4, description: 'Items dropped from the end of the section' }) droppedItems: number;
  @ApiProperty({ example: false, description: 'The whole section was left out' }) removed: boolean;
}

/**
 * GET /customers/:id/ai-context. Sections by rank: customer, preferences, health, openTickets, pinnedNotes, metrics,
 * loyalty, recentEvents, addresses; the lowest-ranked are trimmed first to stay within maxTokens.
 */
export class AiContextDto {
  @ApiProperty({ example: 'markdown', enum: AI_CONTEXT_FORMATS }) format: AiContextFormat;
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
    example: '# Customer context (contact details masked)\n\n## Customer\n- Name: Jane Doe\n- Email: j***@example.com\n\n## Contact preferences\n- DO NOT CONTACT this customer on any channel (doNotContact is set).',
    description: 'format=markdown: the Markdown text; format=json: an object with one key per section (customer, preferences, health, ...)',
  })
  content: string | Record<string, unknown>;
  @ApiProperty({ example: 412, description: 'Tokens of `content` (for json: of its compact serialisation); never above maxTokens' }) tokens: number;
  @ApiProperty({ example: 2000 }) maxTokens: number;
  @ApiProperty({ example: false, description: 'Some sections were trimmed to fit' }) truncated: boolean;
  @ApiProperty({ type: AiContextTrimDto, isArray: true }) trimmed: AiContextTrimDto[];
  @ApiProperty({ example: true }) piiMasked: boolean;
  @ApiProperty({ example: 'o200k_base' }) tokenizer: string;
}
