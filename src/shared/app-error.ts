/** Stable error codes; the global filter maps each to an HTTP status. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  ADDRESS_NOT_FOUND = 'ADDRESS_NOT_FOUND',
  NOTE_NOT_FOUND = 'NOTE_NOT_FOUND',
  PURCHASE_NOT_FOUND = 'PURCHASE_NOT_FOUND',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  CUSTOMER_EXISTS = 'CUSTOMER_EXISTS',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  CONFLICT = 'CONFLICT',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  LAST_OWNER = 'LAST_OWNER',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED = 'RATE_LIMITED',
  UNPROCESSABLE = 'UNPROCESSABLE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS',
  LOYALTY_PROGRAM_DISABLED = 'LOYALTY_PROGRAM_DISABLED',
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  EVENT_NOT_FOUND = 'EVENT_NOT_FOUND',
  DEAD_LETTER_NOT_FOUND = 'DEAD_LETTER_NOT_FOUND',
  SEGMENT_NOT_FOUND = 'SEGMENT_NOT_FOUND',
  SEGMENT_EXISTS = 'SEGMENT_EXISTS',
  SIMULATION_DISABLED = 'SIMULATION_DISABLED',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  CRM_CONNECTION_NOT_FOUND = 'CRM_CONNECTION_NOT_FOUND',
  CAMPAIGN_NOT_FOUND = 'CAMPAIGN_NOT_FOUND',
  INVALID_STATE = 'INVALID_STATE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.INVALID_CREDENTIALS]: 401,
  [ErrorCode.INVALID_REFRESH_TOKEN]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CUSTOMER_NOT_FOUND]: 404,
  [ErrorCode.ADDRESS_NOT_FOUND]: 404,
  [ErrorCode.NOTE_NOT_FOUND]: 404,
  [ErrorCode.PURCHASE_NOT_FOUND]: 404,
  [ErrorCode.USER_NOT_FOUND]: 404,
  [ErrorCode.TENANT_NOT_FOUND]: 404,
  [ErrorCode.JOB_NOT_FOUND]: 404,
  [ErrorCode.EVENT_NOT_FOUND]: 404,
  [ErrorCode.DEAD_LETTER_NOT_FOUND]: 404,
  [ErrorCode.SEGMENT_NOT_FOUND]: 404,
  [ErrorCode.SEGMENT_EXISTS]: 409,
  [ErrorCode.SIMULATION_DISABLED]: 403,
  [ErrorCode.WEBHOOK_NOT_FOUND]: 404,
  [ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND]: 404,
  [ErrorCode.CRM_CONNECTION_NOT_FOUND]: 404,
  [ErrorCode.CAMPAIGN_NOT_FOUND]: 404,
  [ErrorCode.INVALID_STATE]: 409,
  [ErrorCode.CUSTOMER_EXISTS]: 409,
  [ErrorCode.EMAIL_TAKEN]: 409,
  [ErrorCode.VERSION_CONFLICT]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.LAST_OWNER]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNPROCESSABLE]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.INSUFFICIENT_POINTS]: 422,
  [ErrorCode.LOYALTY_PROGRAM_DISABLED]: 422,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
};

export interface FieldError {
  field: string;
  message: string;
}

/** A domain error: services throw these, the HTTP filter renders them. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.code] ?? 400;
  }

  static validation(field: string, message: string): AppError {
    return new AppError(ErrorCode.VALIDATION_FAILED, `${field}: ${message}`, [{ field, message }]);
  }

  static notFound(code: ErrorCode, what: string, id: string): AppError {
    return new AppError(code, `${what} ${id} not found`, { id });
  }
}
