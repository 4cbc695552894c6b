import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers';
import { IdentityModule } from '../identity';
import { PurchasesController } from './purchases.controller';
import { PurchasesRepository } from './purchases.repository';
import { PurchasesService } from './purchases.service';

@Module({
  imports: [IdentityModule, CustomersModule],
  controllers: [PurchasesController],
  providers: [PurchasesRepository, PurchasesService],
  exports: [PurchasesService],
})
export class PurchasesModule {}
