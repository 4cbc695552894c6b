export * from './app-error';
export * from './cursor';
