import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadAppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  // Entities read the driver when their module loads, so the app is imported after configuration is valid.
  const { createApp } = await import('./app.factory');
  const app = await createApp(config);
  const log = new Logger('Bootstrap');
  if (config.jwt.secretGenerated) {
    log.warn(`JWT_SECRET is not set: using a generated secret kept in ${config.dataDir}/jwt-secret (set JWT_SECRET in production)`);
  }
  // Without NATS_URL no transport is connected and events arrive over REST only.
  await app.startAllMicroservices();
  if (config.encryption.keyGenerated) {
    log.warn(`CRM_ENCRYPTION_KEY is not set: using a generated key kept in ${config.dataDir}/crm-encryption-key (set it in production; losing it makes stored CRM credentials and webhook secrets unreadable)`);
  }
  await app.listen({ port: config.port, host: '0.0.0.0' });
  log.log(`CustomerIQ listening on http://localhost:${config.port} (database: ${config.database.driver}; events: ${config.natsUrl ? `NATS ${config.nats.stream}` : 'REST only'}; API docs at /api-docs)`);
}

void bootstrap();
