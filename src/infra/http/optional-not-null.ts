import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional() but only for a missing field: null is validated (and so refused) rather than skipped.
 * For PATCH fields whose column is NOT NULL, where @IsOptional() would let null through to the database.
 */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
