export * from './app-error';
export * from './cursor';
export * from './intl-codes';
export * from './uuid';
