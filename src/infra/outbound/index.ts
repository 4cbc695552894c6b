export * from './outbound.module';
export * from './outbound-url-guard';
export * from './secret-box';
export * from './ip-ranges';
