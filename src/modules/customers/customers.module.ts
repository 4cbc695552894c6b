import { Module } from '@nestjs/common';
import { AddressesController } from './addresses.controller';
import { AddressesService } from './addresses.service';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  controllers: [CustomersController, AddressesController],
  providers: [CustomersRepository, CustomersService, AddressesService],
  exports: [CustomersService, AddressesService],
})
export class CustomersModule {}
