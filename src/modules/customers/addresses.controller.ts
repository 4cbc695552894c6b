import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { AddressesService } from './addresses.service';
import { toAddressDto } from './customer.mapper';
import { AddressDto, CreateAddressDto, UpdateAddressDto } from './dto/address.dto';

@ApiTags('addresses')
@ApiBearerAuth()
@Controller('customers/:customerId/addresses')
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Get()
  @ApiOkResponse({ type: AddressDto, isArray: true })
  async list(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string): Promise<{ data: AddressDto[] }> {
    return { data: (await this.addresses.list(t, customerId)).map(toAddressDto) };
  }

  @Post()
  @ApiCreatedResponse({ type: AddressDto })
  async create(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Body() dto: CreateAddressDto): Promise<AddressDto> {
    return toAddressDto(await this.addresses.create(t, customerId, dto));
  }

  @Get(':id')
  @ApiOkResponse({ type: AddressDto })
  async get(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Param('id', ParseUUIDPipe) id: string): Promise<AddressDto> {
    return toAddressDto(await this.addresses.get(t, customerId, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: AddressDto })
  async update(
    @CurrentTenant() t: string,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAddressDto,
  ): Promise<AddressDto> {
    return toAddressDto(await this.addresses.update(t, customerId, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.addresses.remove(t, customerId, id);
  }
}
