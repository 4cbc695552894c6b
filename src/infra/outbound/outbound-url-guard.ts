import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'dns/promises';
import { isIP } from 'net';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isNonPublicAddress } from './ip-ranges';

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string; retryable: boolean };

const CACHE_MS = 60_000;
const MAX_URL_LENGTH = 2000;

/**
 * SSRF guard for URLs the service calls on a tenant's behalf (webhooks, CRM APIs). A URL must be http(s) (https
 * in production), carry no user:password, and its host must resolve only to public addresses unless
 * WEBHOOK_ALLOW_PRIVATE=true. Checked when the URL is saved and again before each call, since DNS can change.
 */
@Injectable()
export class OutboundUrlGuard {
  private readonly cache = new Map<string, { until: number; verdict: { ok: boolean; reason: string } }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Checks the form of a URL without touching the network. */
  checkForm(raw: string): UrlVerdict {
    if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters`, retryable: false };
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'must be an absolute http(s) URL', retryable: false };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must use http or https', retryable: false };
    if (url.protocol === 'http:' && this.config.webhooks.requireHttps) return { ok: false, reason: 'must use https in production', retryable: false };
    if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password', retryable: false };
    if (!url.hostname) return { ok: false, reason: 'must name a host', retryable: false };
    return { ok: true, url };
  }

  /** Form check plus DNS: every address the host resolves to must be public (unless private targets are allowed). */
  async check(raw: string): Promise<UrlVerdict> {
    const form = this.checkForm(raw);
    if (!form.ok || this.config.webhooks.allowPrivate) return form;
    const host = form.url.hostname.replace(/^\[|\]$/g, '');
    const cached = this.cache.get(host);
    if (cached && cached.until > Date.now()) return cached.verdict.ok ? form : { ok: false, reason: cached.verdict.reason, retryable: false };
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch (e) {
        // A name that does not resolve now may resolve later: the caller decides whether to retry.
        return { ok: false, reason: `host ${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'})`, retryable: true };
      }
    }
    const bad = addresses.find((a) => isNonPublicAddress(a));
    const verdict = bad ? { ok: false, reason: `resolves to a private, loopback or link-local address (${bad})` } : { ok: true, reason: '' };
    this.cache.set(host, { until: Date.now() + CACHE_MS, verdict });
    if (this.cache.size > 10_000) this.cache.clear();
    return verdict.ok ? form : { ok: false, reason: verdict.reason, retryable: false };
  }
}
