export { AiContextModule } from './ai-context.module';
export { AiContextService } from './ai-context.service';
export type { AiContextOptions } from './ai-context.service';
export { AiContextDto, AI_CONTEXT_FORMATS, AI_CONTEXT_MIN_TOKENS, AI_CONTEXT_MAX_TOKENS } from './dto/ai-context.dto';
export type { AiContextFormat } from './dto/ai-context.dto';
