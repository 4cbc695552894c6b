export * from './app-error';
export * from './cursor';
export * from './intl-codes';
