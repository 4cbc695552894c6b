import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { LoyaltyProgramDto, LoyaltyProgramViewDto } from './dto/loyalty-program.dto';
import { LoyaltyProgramService } from './loyalty-program.service';

@ApiTags('loyalty')
@ApiBearerAuth()
@Controller('loyalty/program')
export class LoyaltyProgramController {
  constructor(private readonly programs: LoyaltyProgramService) {}

  @Get()
  @ApiOkResponse({ type: LoyaltyProgramViewDto })
  get(@CurrentTenant() tenantId: string): Promise<LoyaltyProgramViewDto> {
    return this.programs.get(tenantId);
  }

  /** Replaces the program; past ledger rows and lots keep what they were given. Tiers are re-evaluated in the background. */
  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: LoyaltyProgramViewDto })
  put(@CurrentTenant() tenantId: string, @Body() dto: LoyaltyProgramDto): Promise<LoyaltyProgramViewDto> {
    return this.programs.put(tenantId, dto);
  }
}
