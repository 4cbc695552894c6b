import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { GENERIC_PUSH_METHODS } from '../providers/generic-rest.provider';

const URL_RULE = { require_protocol: true, require_tld: false, protocols: ['http', 'https'] };
const SF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Per-provider credentials and options, validated in the service (the request DTO only says "an object"). */
export class SalesforceCredentialsDto {
  @ApiPropertyOptional({ example: 'https://login.salesforce.com' })
  @IsOptional() @IsUrl(URL_RULE, { message: 'loginUrl must be an absolute http(s) URL' }) @MaxLength(500)
  loginUrl?: string;

  @IsString() @Length(1, 500)
  clientId: string;

  @IsString() @Length(1, 500)
  clientSecret: string;

  @IsOptional() @IsString() @Length(1, 200)
  username?: string;

  @ValidateIf((o: SalesforceCredentialsDto) => o.username !== undefined) @IsString({ message: 'password is required with username' }) @Length(1, 500)
  password?: string;
}

export class HubSpotCredentialsDto {
  @IsString() @Length(1, 500)
  accessToken: string;
}

export class GenericCredentialsDto {
  @IsOptional() @IsString() @Length(1, 2000)
  token?: string;

  @IsOptional() @IsObject()
  headers?: Record<string, string>;
}

export class SalesforceOptionsDto {
  @IsOptional() @Matches(SF_NAME, { message: 'sobject must be an API name such as Contact' })
  sobject?: string;

  @IsOptional() @Matches(SF_NAME, { message: 'externalIdField must be an API name such as CustomerIQ_Id__c' })
  externalIdField?: string;

  @IsOptional() @Matches(/^\d{2}\.0$/, { message: 'apiVersion must look like 60.0' })
  apiVersion?: string;
}

export class HubSpotOptionsDto {
  @IsOptional() @IsUrl(URL_RULE, { message: 'baseUrl must be an absolute http(s) URL' }) @MaxLength(500)
  baseUrl?: string;
}

export class GenericOptionsDto {
  @IsOptional() @IsUrl(URL_RULE, { message: 'pushUrl must be an absolute http(s) URL' }) @MaxLength(2000)
  pushUrl?: string;

  @IsOptional() @IsIn(GENERIC_PUSH_METHODS)
  pushMethod?: (typeof GENERIC_PUSH_METHODS)[number];

  @IsOptional() @IsUrl(URL_RULE, { message: 'pullUrl must be an absolute http(s) URL' }) @MaxLength(2000)
  pullUrl?: string;

  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
  updatedAtField?: string;

  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
  idField?: string;
}
