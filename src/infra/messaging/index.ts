export * from './incoming-message';
export * from './jetstream-setup';
export * from './jetstream.server';
