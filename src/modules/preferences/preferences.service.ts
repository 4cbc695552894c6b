import { Injectable } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { AuthPrincipal } from '../../infra/auth/roles';
import { isUniqueViolation, TransactionRunner } from '../../infra/database';
import { PageQueryDto } from '../../infra/http/pagination.dto';
import { AppError, ErrorCode } from '../../shared/app-error';
import { cursorDate, decodeIdCursor, encodeCursor, Page } from '../../shared/cursor';
import { isUuid } from '../../shared/uuid';
import { CustomersService } from '../customers';
import { ReplacePreferencesDto } from './dto/preferences.dto';
import { ConsentChange } from './entities/consent-change.entity';
import { CustomerPreferences } from './entities/customer-preferences.entity';
import { PREFERENCE_EVENTS, PreferencesUpdatedEvent } from './preferences.events';
import { PreferencesRepository } from './preferences.repository';
import { defaultPreferences, nextConsent, PreferencesView, viewOf } from './preferences.rules';

// Clocks of callers drift; a consent time further ahead than this is a mistake, not drift.
const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

/** How a customer wants to be contacted, and the record of their marketing consent. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly repo: PreferencesRepository,
    private readonly customers: CustomersService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEventBus,
  ) {}

  /** The customer's preferences, or the defaults (not stored) when none were ever saved. */
  async get(tenantId: string, customerId: string): Promise<PreferencesView> {
    await this.customers.assertExists(tenantId, customerId);
    return viewOf(customerId, await this.repo.find(tenantId, customerId));
  }

  /** Replaces the whole set; a consent change is appended to the history in the same transaction. */
  async replace(principal: AuthPrincipal, customerId: string, dto: ReplacePreferencesDto, ifMatch?: number): Promise<PreferencesView> {
    const { tenantId } = principal;
    const now = new Date();
    if (dto.marketingConsent.at && Date.parse(dto.marketingConsent.at) > now.getTime() + CONSENT_CLOCK_SKEW_MS) {
      throw AppError.validation('marketingConsent.at', 'must not be in the future');
    }
    const expected = ifMatch ?? dto.version;
    let consentChanged = false;
    const saved = await this.tx
      .run(async (m) => {
        await this.customers.assertExists(tenantId, customerId, m);
        const current = await this.repo.find(tenantId, customerId, m);
        const currentVersion = current?.version ?? 0;
        if (expected !== undefined && expected !== currentVersion) throw this.staleVersion(customerId, expected, currentVersion);
        const consent = nextConsent((current ?? defaultPreferences()).marketingConsent, dto.marketingConsent, now);
        consentChanged = consent.changed;
        const fields: Partial<CustomerPreferences> = {
          channels: { email: dto.channels.email, sms: dto.channels.sms, call: dto.channels.call, push: dto.channels.push },
          preferredChannel: dto.preferredChannel ?? null,
          doNotContact: dto.doNotContact,
          marketingConsent: consent.consent,
          language: dto.language ?? null,
          timezone: dto.timezone ?? null,
          quietHours: dto.quietHours ? { start: dto.quietHours.start, end: dto.quietHours.end } : null,
          custom: dto.custom ?? {},
          updatedAt: now,
        };
        if (!current) await this.repo.insert({ customerId, tenantId, ...fields }, m);
        else if (!(await this.repo.updateIfVersion(tenantId, customerId, current.version, fields, m))) {
          throw this.staleVersion(customerId, expected ?? current.version, current.version + 1);
        }
        if (consent.changed) {
          await this.repo.insertConsentChange(
            {
              tenantId,
              customerId,
              granted: consent.consent.granted,
              source: consent.consent.source,
              at: new Date(consent.consent.at ?? now),
              changedBy: isUuid(principal.userId) ? principal.userId : null,
              createdAt: now,
            },
            m,
          );
        }
        return (await this.repo.find(tenantId, customerId, m))!;
      })
      .catch((e: unknown) => {
        // Two first saves raced: the loser's view of "no row yet" is stale.
        if (isUniqueViolation(e)) throw this.staleVersion(customerId, expected ?? 0, 1);
        throw e;
      });
    const view = viewOf(customerId, saved);
    this.events.emit(PREFERENCE_EVENTS.updated, { tenantId, customerId, preferences: view, consentChanged } satisfies PreferencesUpdatedEvent);
    return view;
  }

  /** Marketing-consent changes, newest first. */
  async history(tenantId: string, customerId: string, query: PageQueryDto): Promise<Page<ConsentChange>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = query.limit ?? 20;
    let after: { createdAt: Date; id: string } | undefined;
    if (query.cursor) {
      const pos = decodeIdCursor(query.cursor);
      after = { createdAt: cursorDate(pos.v), id: pos.id };
    }
    const rows = await this.repo.consentHistory(tenantId, customerId, { after, limit });
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, page: { limit, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null } };
  }

  private staleVersion(customerId: string, expected: number, current: number): AppError {
    return new AppError(
      ErrorCode.VERSION_CONFLICT,
      `Preferences of customer ${customerId} were changed by someone else (you sent version ${expected}, they are at ${current})`,
      { expectedVersion: expected, currentVersion: current },
    );
  }
}
