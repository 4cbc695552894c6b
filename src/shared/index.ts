export * from './app-error';
export * from './cursor';
export * from './domain-event';
export * from './money';
export * from './retry-after';
