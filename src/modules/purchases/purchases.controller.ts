import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { ListPurchasesQueryDto, PurchaseDto, PurchasePageDto } from './dto/purchase.dto';
import { toPurchaseDto } from './purchase.mapper';
import { PurchasesService } from './purchases.service';

@ApiTags('purchases')
@ApiBearerAuth()
@Controller()
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  @Get('customers/:id/purchases')
  @ApiOkResponse({ type: PurchasePageDto, description: 'Newest first' })
  async list(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() query: ListPurchasesQueryDto): Promise<PurchasePageDto> {
    const page = await this.purchases.listForCustomer(tenantId, id, query);
    return { data: page.data.map(toPurchaseDto), page: page.page };
  }

  @Get('purchases/:orderId')
  @ApiOkResponse({ type: PurchaseDto })
  async get(@CurrentTenant() tenantId: string, @Param('orderId') orderId: string): Promise<PurchaseDto> {
    return toPurchaseDto(await this.purchases.getByOrderId(tenantId, orderId));
  }
}
