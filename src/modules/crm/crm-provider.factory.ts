import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundUrlGuard, SecretBox } from '../../infra/outbound';
import { CrmConnection } from './entities/crm-connection.entity';
import { outboundUrls } from './provider-settings';
import { CrmProvider } from './providers/crm-provider';
import { GenericCredentials, GenericOptions, GenericRestProvider } from './providers/generic-rest.provider';
import { HubSpotCredentials, HubSpotOptions, HubSpotProvider } from './providers/hubspot.provider';
import { DEFAULT_RETRY, ProviderUnavailableError, RetryPolicy } from './providers/provider-call';
import { SalesforceCredentials, SalesforceOptions, SalesforceProvider } from './providers/salesforce.provider';

/** Opens a connection's credentials and builds its provider, re-checking every URL against the SSRF guard. */
@Injectable()
export class CrmProviderFactory {
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly box: SecretBox,
    private readonly guard: OutboundUrlGuard,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.retryPolicy = { ...DEFAULT_RETRY, baseDelayMs: config.crm.retryBaseMs };
  }

  credentialsOf(c: CrmConnection): Record<string, unknown> {
    return JSON.parse(this.box.open(c.credentialsSealed, c.id)) as Record<string, unknown>;
  }

  async create(c: CrmConnection): Promise<CrmProvider> {
    const creds = this.credentialsOf(c);
    for (const { field, url } of outboundUrls(c.provider, creds, c.options)) await this.assertAllowed(url, field);
    switch (c.provider) {
      case 'salesforce':
        return new SalesforceProvider(creds as unknown as SalesforceCredentials, c.options as SalesforceOptions, c.fieldMapping, (u) => this.assertAllowed(u, 'instance_url'), this.retryPolicy);
      case 'hubspot':
        return new HubSpotProvider(creds as unknown as HubSpotCredentials, c.options as HubSpotOptions, c.fieldMapping, this.retryPolicy);
      default:
        return new GenericRestProvider(creds as GenericCredentials, c.options as GenericOptions, this.retryPolicy);
    }
  }

  private async assertAllowed(url: string, field: string): Promise<void> {
    const v = await this.guard.check(url);
    if (!v.ok) throw new ProviderUnavailableError(`${field} ${url} refused: ${v.reason}`);
  }
}
