import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validateCronExpression } from 'cron';
import { flattenValidationErrors } from '../../infra/http/validation';
import { AppError, ErrorCode } from '../../shared/app-error';
import {
  GenericCredentialsDto,
  GenericOptionsDto,
  HubSpotCredentialsDto,
  HubSpotOptionsDto,
  SalesforceCredentialsDto,
  SalesforceOptionsDto,
} from './dto/provider-settings.dto';
import { CrmProviderName, SyncDirection } from './entities/crm-connection.entity';
import { SALESFORCE_DEFAULTS } from './providers/salesforce.provider';

const CLASSES: Record<CrmProviderName, { credentials: new () => object; options: new () => object }> = {
  salesforce: { credentials: SalesforceCredentialsDto, options: SalesforceOptionsDto },
  hubspot: { credentials: HubSpotCredentialsDto, options: HubSpotOptionsDto },
  generic: { credentials: GenericCredentialsDto, options: GenericOptionsDto },
};

/** Validates a plain object against a settings class; errors name `<prefix>.<field>` (missing ones included). */
function check<T extends object>(cls: new () => T, value: Record<string, unknown>, prefix: string): T {
  const instance = plainToInstance(cls, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const details = flattenValidationErrors(errors, prefix);
    throw new AppError(ErrorCode.VALIDATION_FAILED, details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  return instance;
}

export function validateCredentials(provider: CrmProviderName, credentials: Record<string, unknown>): Record<string, unknown> {
  const c = check(CLASSES[provider].credentials, credentials, 'credentials') as Record<string, unknown>;
  if (provider === 'generic' && c.headers) {
    for (const [k, v] of Object.entries(c.headers as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9-]{1,100}$/.test(k) || typeof v !== 'string') throw AppError.validation(`credentials.headers.${k}`, 'must be a header name with a string value');
    }
  }
  return { ...credentials };
}

export function validateOptions(provider: CrmProviderName, options: Record<string, unknown>, direction: SyncDirection): Record<string, unknown> {
  check(CLASSES[provider].options, options, 'options');
  if (provider === 'generic') {
    if (direction !== 'pull' && !options.pushUrl) throw AppError.validation('options.pushUrl', `is required to push (direction ${direction})`);
    if (direction !== 'push' && !options.pullUrl) throw AppError.validation('options.pullUrl', `is required to pull (direction ${direction})`);
  }
  return { ...options };
}

/** URLs in the settings that the SSRF guard must allow, with the field each came from. */
export function outboundUrls(provider: CrmProviderName, credentials: Record<string, unknown>, options: Record<string, unknown>): Array<{ field: string; url: string }> {
  const out: Array<{ field: string; url: string }> = [];
  if (provider === 'salesforce') out.push({ field: 'credentials.loginUrl', url: String(credentials.loginUrl ?? SALESFORCE_DEFAULTS.loginUrl) });
  if (provider === 'hubspot' && options.baseUrl) out.push({ field: 'options.baseUrl', url: String(options.baseUrl) });
  if (provider === 'generic') {
    if (options.pushUrl) out.push({ field: 'options.pushUrl', url: String(options.pushUrl).replace('{id}', 'id') });
    if (options.pullUrl) out.push({ field: 'options.pullUrl', url: String(options.pullUrl) });
  }
  return out;
}

/** A 5-field cron expression (minute resolution; schedules are checked once a minute). */
export function validateSchedule(schedule: string): string {
  const expr = schedule.trim();
  if (expr.split(/\s+/).length !== 5) throw AppError.validation('schedule', 'must be a cron expression with 5 fields (minute hour day month weekday)');
  const v = validateCronExpression(expr);
  if (!v.valid) throw AppError.validation('schedule', `is not a valid cron expression: ${v.error?.message ?? 'unreadable'}`);
  return expr;
}

/** The Salesforce field holding the CustomerIQ id: no mapped field may write to it. */
export function reservedFields(provider: CrmProviderName, options: Record<string, unknown>): string[] {
  return provider === 'salesforce' ? [String(options.externalIdField ?? SALESFORCE_DEFAULTS.externalIdField)] : [];
}
