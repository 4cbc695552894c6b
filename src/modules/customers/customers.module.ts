import { Module } from '@nestjs/common';
import { AddressesController } from './addresses.controller';
import { AddressesRepository } from './addresses.repository';
import { AddressesService } from './addresses.service';
import { CustomerRefsRepository } from './customer-refs.repository';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  controllers: [CustomersController, AddressesController],
  providers: [CustomersRepository, CustomerRefsRepository, AddressesRepository, CustomersService, AddressesService],
  exports: [CustomersService, AddressesService],
})
export class CustomersModule {}
