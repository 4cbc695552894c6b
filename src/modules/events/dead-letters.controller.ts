import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { DeadLetterDto, DeadLetterPageDto, ListDeadLettersQueryDto, ReplayResultDto } from './dto/dead-letter.dto';
import { toDeadLetterDto, toIngestResult } from './event.mapper';
import { DeadLettersService } from './dead-letters.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOkResponse({ type: DeadLetterPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() query: ListDeadLettersQueryDto): Promise<DeadLetterPageDto> {
    const page = await this.deadLetters.list(tenantId, query);
    return { data: page.data.map(toDeadLetterDto), page: page.page };
  }

  @Get(':id')
  @ApiOkResponse({ type: DeadLetterDto })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<DeadLetterDto> {
    return toDeadLetterDto(await this.deadLetters.get(tenantId, id));
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOkResponse({ type: ReplayResultDto, description: 'accepted/duplicate: the dead letter is marked replayed; rejected: it keeps the new reason' })
  async replay(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<ReplayResultDto> {
    const { outcome, deadLetter } = await this.deadLetters.replay(tenantId, id);
    const { index: _i, ...result } = toIngestResult(outcome, 0);
    return { ...result, deadLetter: toDeadLetterDto(deadLetter) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.deadLetters.remove(tenantId, id);
  }
}
