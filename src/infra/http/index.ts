export * from './http-infra.module';
export * from './error-envelope.filter';
export * from './validation';
export * from './request-id';
export * from './pagination.dto';
export * from './if-match';
export * from './optional-not-null';
export * from './sse';
