import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthPrincipal, CurrentPrincipal } from '../../infra/auth';
import { AiContextService } from './ai-context.service';
import { AiContextDto, AiContextQueryDto } from './dto/ai-context.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id/ai-context')
export class AiContextController {
  constructor(private readonly aiContext: AiContextService) {}

  @Get()
  @ApiOperation({
    summary: 'A compact, ranked summary of the customer for an LLM prompt',
    description: 'Always JSON: `content` is Markdown text (format=markdown, default) or an object (format=json). Email, phone and addresses are masked unless an admin asks with pii=true.',
  })
  @ApiOkResponse({ type: AiContextDto })
  @ApiForbiddenResponse({ description: 'pii=true without the admin role' })
  get(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: AiContextQueryDto): Promise<AiContextDto> {
    return this.aiContext.build(p, id, q);
  }
}
