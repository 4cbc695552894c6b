import { AddressDto } from './dto/address.dto';
import { CustomerDto } from './dto/customer.dto';
import { Address } from './entities/address.entity';
import { Customer } from './entities/customer.entity';

export function toCustomerDto(c: Customer): CustomerDto {
  return {
    id: c.id,
    externalId: c.externalId,
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    type: c.type,
    status: c.status,
    tags: c.tags,
    attributes: c.attributes,
    source: c.source,
    lastSeenAt: c.lastSeenAt,
    lastContactedAt: c.lastContactedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    deletedAt: c.deletedAt,
    version: c.version,
  };
}

export function toAddressDto(a: Address): AddressDto {
  return {
    id: a.id,
    customerId: a.customerId,
    type: a.type,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    latitude: a.latitude,
    longitude: a.longitude,
    isDefault: !!a.isDefault,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
