export * from './app-error';
export * from './cursor';
export * from './domain-event';
export * from './money';
export * from './intl-codes';
export * from './uuid';
export * from './customer-segments';
export * from './retry-after';
