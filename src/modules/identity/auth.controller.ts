import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { LoginThrottle } from '../../infra/http/http-infra.module';
import { LoginDto, MeDto, RefreshDto, RegisterDto, RegisterResponseDto, TokenPairDto } from './dto/auth.dto';
import { AuthService } from './auth.service';
import { toTenantDto, toUserDto } from './identity.mapper';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @LoginThrottle()
  @Post('register')
  @ApiCreatedResponse({ type: RegisterResponseDto, description: 'A new tenant with its owner' })
  async register(@Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    const r = await this.auth.register(dto);
    return { tenant: toTenantDto(r.tenant), user: toUserDto(r.user), accessToken: r.accessToken, refreshToken: r.refreshToken, expiresIn: r.expiresIn };
  }

  @Public()
  @LoginThrottle()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Public()
  @LoginThrottle()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'A new pair; the presented refresh token is spent' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: AuthPrincipal): Promise<MeDto> {
    const r = await this.auth.me(principal);
    return { user: toUserDto(r.user), tenant: toTenantDto(r.tenant) };
  }
}
