export { CustomersModule } from './customers.module';
export { CustomersService } from './customers.service';
export { normalisePhone } from './customer-rules';
export type { CustomerEraser } from './customers.service';
export { AddressesService } from './addresses.service';
export { CUSTOMER_EVENTS } from './customer.events';
export type { CustomerChangedEvent, CustomerFieldChanges } from './customer.events';
export type { CustomerFilterClause, CustomerFilterProvider, CustomerSortClause } from './customers.repository';
export type { CustomerRef } from './customer-refs.repository';
export { ListCustomersQueryDto, CustomerPageDto } from './dto/list-customers.dto';
export { toCustomerDto, toAddressDto } from './customer.mapper';
export { CustomerDto, CreateCustomerDto, UpdateCustomerDto } from './dto/customer.dto';
export { AddressDto } from './dto/address.dto';
// Exported for foreign-key relations only (child tables cascade on customer removal).
export { Customer, CUSTOMER_STATUSES, CUSTOMER_TYPES } from './entities/customer.entity';
