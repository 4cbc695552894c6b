import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { PageQueryDto } from '../../infra/http/pagination.dto';
import { AppError } from '../../shared/app-error';
import {
  LoyaltySummaryDto,
  LoyaltyTransactionPageDto,
  PointsAdjustDto,
  PointsChangeDto,
  PointsChangeResultDto,
  TierChangePageDto,
} from './dto/loyalty.dto';
import { toTransactionDto } from './loyalty.mapper';
import { IdempotentResult, LoyaltyService } from './loyalty.service';

/** Idempotency-Key: 1-255 visible ASCII characters, or absent. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) throw AppError.validation('Idempotency-Key', 'must be 1-255 visible ASCII characters');
  return header;
}

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Same key + same body: the first answer again (Idempotent-Replayed: true). Same key + another body: 422 IDEMPOTENCY_KEY_REUSED.',
};

@ApiTags('loyalty')
@ApiBearerAuth()
@Controller('customers/:id/loyalty')
export class LoyaltyController {
  constructor(private readonly loyalty: LoyaltyService) {}

  @Get()
  @ApiOkResponse({ type: LoyaltySummaryDto })
  summary(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<LoyaltySummaryDto> {
    return this.loyalty.getLoyaltySummary(tenantId, id);
  }

  @Get('transactions')
  @ApiOkResponse({ type: LoyaltyTransactionPageDto, description: 'Newest first' })
  async transactions(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<LoyaltyTransactionPageDto> {
    const page = await this.loyalty.listTransactions(tenantId, id, q);
    return { data: page.data.map(toTransactionDto), page: page.page };
  }

  @Get('tier-history')
  @ApiOkResponse({ type: TierChangePageDto, description: 'Newest first' })
  tierHistory(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<TierChangePageDto> {
    return this.loyalty.tierHistory(tenantId, id, q);
  }

  @Post('earn')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: PointsChangeResultDto })
  async earn(
    @CurrentPrincipal() p: AuthPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PointsChangeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PointsChangeResultDto> {
    return replied(reply, await this.loyalty.earn(p.tenantId, id, dto, p.userId, parseIdempotencyKey(key)));
  }

  @Post('redeem')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: PointsChangeResultDto, description: '422 INSUFFICIENT_POINTS when the balance is smaller' })
  async redeem(
    @CurrentPrincipal() p: AuthPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PointsChangeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PointsChangeResultDto> {
    return replied(reply, await this.loyalty.redeem(p.tenantId, id, dto, p.userId, parseIdempotencyKey(key)));
  }

  @Post('adjust')
  @Roles('admin')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PointsChangeResultDto })
  adjust(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: PointsAdjustDto): Promise<PointsChangeResultDto> {
    return this.loyalty.adjust(p.tenantId, id, dto, p.userId);
  }
}

function replied(reply: FastifyReply, r: IdempotentResult<PointsChangeResultDto>): PointsChangeResultDto {
  if (r.replayed) void reply.header('Idempotent-Replayed', 'true');
  return r.body;
}
