import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Global pipe: unknown fields rejected, types transformed, errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
