import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CurrentTenant } from '../../infra/auth/auth.decorators';
import { AuthPrincipal, roleAtLeast } from '../../infra/auth/roles';
import { parseIfMatch } from '../../infra/http/if-match';
import { AppError, ErrorCode } from '../../shared/app-error';
import { toCustomerDto } from './customer.mapper';
import { CustomersService } from './customers.service';
import { CreateCustomerDto, CustomerDto, UpdateCustomerDto } from './dto/customer.dto';
import { CustomerPageDto, CustomerStatsDto, ListCustomersQueryDto } from './dto/list-customers.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @ApiCreatedResponse({ type: CustomerDto })
  async create(@CurrentTenant() tenantId: string, @Body() dto: CreateCustomerDto): Promise<CustomerDto> {
    return toCustomerDto(await this.customers.create(tenantId, dto));
  }

  @Get()
  @ApiOkResponse({ type: CustomerPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() query: ListCustomersQueryDto): Promise<CustomerPageDto> {
    const page = await this.customers.list(tenantId, query);
    return { data: page.data.map(toCustomerDto), page: page.page };
  }

  @Get('stats')
  @ApiOkResponse({ type: CustomerStatsDto })
  stats(@CurrentTenant() tenantId: string): Promise<CustomerStatsDto> {
    return this.customers.stats(tenantId);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto, description: 'ETag carries the version for If-Match' })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<CustomerDto> {
    const c = await this.customers.get(tenantId, id);
    void reply.header('ETag', `"${c.version}"`);
    return toCustomerDto(c);
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Version (ETag) you read; stale -> 409' })
  @ApiOkResponse({ type: CustomerDto })
  async update(
    @CurrentTenant() tenantId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCustomerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerDto> {
    const c = await this.customers.update(tenantId, id, dto, parseIfMatch(ifMatch));
    void reply.header('ETag', `"${c.version}"`);
    return toCustomerDto(c);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiQuery({ name: 'hard', required: false, type: Boolean, description: 'admin+: remove the customer and everything it owns' })
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query('hard') hard?: string): Promise<void> {
    if (hard !== undefined && hard !== 'true' && hard !== 'false') throw AppError.validation('hard', 'must be true or false');
    if (hard === 'true') {
      if (!roleAtLeast(p.role, 'admin')) throw new AppError(ErrorCode.FORBIDDEN, 'A hard delete needs the admin role or higher', { required: 'admin' });
      return this.customers.hardDelete(p.tenantId, id);
    }
    return this.customers.softDelete(p.tenantId, id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOkResponse({ type: CustomerDto })
  async restore(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerDto> {
    return toCustomerDto(await this.customers.restore(tenantId, id));
  }
}
