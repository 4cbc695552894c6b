import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { TenantDetailsDto, UpdateTenantSettingsDto } from './dto/tenant.dto';
import { toTenantDetailsDto } from './identity.mapper';
import { TenantsService } from './tenants.service';

@ApiTags('tenant')
@ApiBearerAuth()
@Controller('tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOkResponse({ type: TenantDetailsDto, description: 'The tenant of the token, with its settings' })
  async get(@CurrentTenant() tenantId: string): Promise<TenantDetailsDto> {
    return toTenantDetailsDto(await this.tenants.get(tenantId));
  }

  @Patch('settings')
  @Roles('admin')
  @ApiOkResponse({ type: TenantDetailsDto })
  async update(@CurrentTenant() tenantId: string, @Body() dto: UpdateTenantSettingsDto): Promise<TenantDetailsDto> {
    return toTenantDetailsDto(await this.tenants.update(tenantId, { name: dto.name, settings: { baseCurrency: dto.baseCurrency } }));
  }
}
