import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { PageQueryDto } from '../../infra/http/pagination.dto';
import { DeliveryDetailDto, DeliveryDto, DeliveryPageDto, ListDeliveriesQueryDto } from './dto/delivery.dto';
import { CreateWebhookDto, RotateSecretDto, UpdateWebhookDto, WebhookDto, WebhookPageDto, WebhookWithSecretDto } from './dto/webhook.dto';
import { toDeliveryDetailDto, toDeliveryDto, toWebhookDto } from './webhook.mapper';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: WebhookWithSecretDto, description: 'The signing secret is shown only in this answer' })
  async create(@CurrentTenant() tenantId: string, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    const { endpoint, secret } = await this.webhooks.create(tenantId, dto);
    return { ...toWebhookDto(endpoint), secret };
  }

  @Get()
  @ApiOkResponse({ type: WebhookPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() q: PageQueryDto): Promise<WebhookPageDto> {
    const page = await this.webhooks.list(tenantId, q.limit, q.cursor);
    return { data: page.data.map(toWebhookDto), page: page.page };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookDto })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.get(tenantId, id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: WebhookDto })
  async update(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.update(tenantId, id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(tenantId, id);
  }

  @Post(':id/rotate-secret')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretDto, description: 'The new secret, shown only now; the old one signs beside it until previousSecretExpiresAt' })
  async rotate(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RotateSecretDto): Promise<WebhookWithSecretDto> {
    const { endpoint, secret } = await this.webhooks.rotateSecret(tenantId, id, dto.overlapMinutes);
    return { ...toWebhookDto(endpoint), secret };
  }

  @Post(':id/test')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryDto, description: 'A webhook.test event sent at once; the delivery shows the answer' })
  async test(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<DeliveryDto> {
    return toDeliveryDto(await this.webhooks.sendTest(tenantId, id));
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  async deliveries(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    const page = await this.webhooks.listDeliveries(tenantId, id, q);
    return { data: page.data.map(toDeliveryDto), page: page.page };
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOkResponse({ type: DeliveryDetailDto })
  async delivery(
    @CurrentTenant() tenantId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryDetailDto> {
    return toDeliveryDetailDto(await this.webhooks.getDelivery(tenantId, id, deliveryId));
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'Queued again with the same event id and body' })
  async redeliver(
    @CurrentTenant() tenantId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryDto> {
    return toDeliveryDto(await this.webhooks.redeliver(tenantId, id, deliveryId));
  }
}
