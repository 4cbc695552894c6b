import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, ErrorCode, FieldError } from '../../shared/app-error';

/** Flattens nested class-validator errors into { field: 'a.b[0].c', message }. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    for (const msg of Object.values(e.constraints ?? {})) {
      out.push({ field, message: msg.startsWith(`property ${e.property} should not exist`) ? 'is not an allowed field' : msg });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/**
 * A validator that throws instead of answering (validator.js's isEmail on a lone UTF-16 surrogate throws URIError)
 * was input it cannot read: that is a 400 naming the part of the request, not a 500.
 */
class EnvelopeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const field = metadata.data ?? metadata.type;
      throw new AppError(ErrorCode.VALIDATION_FAILED, `${field}: contains a value that cannot be read`, [{ field, message: 'contains a value that cannot be read (e.g. invalid Unicode)' }]);
    }
  }
}

/** Global pipe: unknown fields rejected, types transformed, errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new EnvelopeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
      return new AppError(ErrorCode.VALIDATION_FAILED, message || 'Validation failed', details);
    },
  });
}

/**
 * Validates a plain object against a DTO class exactly as the global pipe does for a request body (whitelist,
 * forbidNonWhitelisted, transforms), for inputs that do not come through HTTP (MCP tools). Throws VALIDATION_FAILED.
 */
export async function validateDto<T extends object>(cls: ClassConstructor<T>, plain: object): Promise<T> {
  const dto = plainToInstance(cls, plain, { enableImplicitConversion: false });
  let errors: ValidationError[];
  try {
    errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'input contains a value that cannot be read', [{ field: 'input', message: 'contains a value that cannot be read (e.g. invalid Unicode)' }]);
  }
  if (errors.length) {
    const details = flattenValidationErrors(errors);
    throw new AppError(ErrorCode.VALIDATION_FAILED, details.map((d) => `${d.field}: ${d.message}`).join('; ') || 'Validation failed', details);
  }
  return dto;
}
