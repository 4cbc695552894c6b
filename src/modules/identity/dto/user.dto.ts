import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../../../infra/auth/roles';

const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'agent@acme.example' })
  @Transform(lower) @IsEmail() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'a long enough password', minLength: 10 })
  @IsString() @MinLength(10) @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'agent', enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'viewer', enum: ROLES })
  @IsOptional() @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: 'a new long password', minLength: 10 })
  @IsOptional() @IsString() @MinLength(10) @MaxLength(200)
  password?: string;
}
