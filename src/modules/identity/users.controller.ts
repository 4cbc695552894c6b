import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { UserDto } from './dto/auth.dto';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { toUserDto } from './identity.mapper';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserDto, isArray: true })
  async list(@CurrentPrincipal() p: AuthPrincipal): Promise<{ data: UserDto[] }> {
    return { data: (await this.users.list(p.tenantId)).map(toUserDto) };
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentPrincipal() p: AuthPrincipal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return toUserDto(await this.users.create(p, dto));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return toUserDto(await this.users.get(p.tenantId, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  async update(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return toUserDto(await this.users.update(p, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentPrincipal() p: AuthPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.remove(p, id);
  }
}
