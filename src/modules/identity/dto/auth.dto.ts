import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class RegisterDto {
  @ApiProperty({ example: 'Acme Coffee Roasters' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  tenantName: string;

  @ApiProperty({ example: 'owner@acme.example' })
  @Transform(lower) @IsEmail() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 10 })
  @IsString() @MinLength(10) @MaxLength(200)
  password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'owner@acme.example' })
  @Transform(lower) @IsEmail() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ example: 'c2VjcmV0LXJlZnJlc2gtdG9rZW4...' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  refreshToken: string;
}

export class TokenPairDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiJ9...' })
  accessToken: string;
  @ApiProperty({ example: 'Y2lxX3JlZnJlc2g...' })
  refreshToken: string;
  @ApiProperty({ example: 900, description: 'Access token lifetime in seconds' })
  expiresIn: number;
}

export class TenantDto {
  @ApiProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  id: string;
  @ApiProperty({ example: 'Acme Coffee Roasters' })
  name: string;
  @ApiProperty({ example: 'acme-coffee-roasters' })
  slug: string;
}

export class UserDto {
  @ApiProperty({ example: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' })
  id: string;
  @ApiProperty({ example: 'owner@acme.example' })
  email: string;
  @ApiProperty({ example: 'owner', enum: ['owner', 'admin', 'agent', 'viewer'] })
  role: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z', required: false })
  createdAt?: Date;
}

export class RegisterResponseDto extends TokenPairDto {
  @ApiProperty({ type: TenantDto })
  tenant: TenantDto;
  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
  @ApiProperty({ type: TenantDto })
  tenant: TenantDto;
}
