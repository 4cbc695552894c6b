export * from './domain-event-bus';
export * from './domain-events.module';
