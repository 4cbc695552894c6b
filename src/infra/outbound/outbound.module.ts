import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundUrlGuard } from './outbound-url-guard';
import { SecretBox } from './secret-box';

/** What modules that call external systems share: the SSRF guard and the at-rest secret box. */
@Module({
  providers: [OutboundUrlGuard, { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.encryption.key) }],
  exports: [OutboundUrlGuard, SecretBox],
})
export class OutboundModule {}
