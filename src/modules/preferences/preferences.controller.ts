import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CurrentTenant } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { parseIfMatch } from '../../infra/http/if-match';
import { PageQueryDto } from '../../infra/http/pagination.dto';
import { ConsentHistoryPageDto, PreferencesDto, ReplacePreferencesDto } from './dto/preferences.dto';
import { toConsentChangeDto, toPreferencesDto } from './preferences.mapper';
import { PreferencesService } from './preferences.service';

@ApiTags('preferences')
@ApiBearerAuth()
@Controller('customers/:customerId/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOkResponse({ type: PreferencesDto, description: 'The defaults (version 0) until first saved; ETag carries the version' })
  async get(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PreferencesDto> {
    const view = await this.preferences.get(t, customerId);
    void reply.header('ETag', `"${view.version}"`);
    return toPreferencesDto(view);
  }

  @Put()
  @ApiHeader({ name: 'If-Match', required: false, description: 'Version (ETag) you read; stale -> 409' })
  @ApiOkResponse({ type: PreferencesDto })
  async replace(
    @CurrentPrincipal() p: AuthPrincipal,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: ReplacePreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferencesDto> {
    const view = await this.preferences.replace(p, customerId, dto, parseIfMatch(ifMatch));
    void reply.header('ETag', `"${view.version}"`);
    return toPreferencesDto(view);
  }

  @Get('history')
  @ApiOkResponse({ type: ConsentHistoryPageDto, description: 'Marketing-consent changes, newest first' })
  async history(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: PageQueryDto): Promise<ConsentHistoryPageDto> {
    const page = await this.preferences.history(t, customerId, query);
    return { data: page.data.map(toConsentChangeDto), page: page.page };
  }
}
