import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { IdentityRepository } from './identity.repository';
import { TenantController } from './tenant.controller';
import { TenantsService } from './tenants.service';
import { TokenService } from './token.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [AuthController, UsersController, TenantController],
  providers: [IdentityRepository, AuthService, UsersService, TokenService, TenantsService],
  exports: [TenantsService, TokenService],
})
export class IdentityModule {}
