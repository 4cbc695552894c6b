import { buildAppConfig } from '../../config/app-config';
import { OutboundUrlGuard } from './outbound-url-guard';

const configWith = (env: Record<string, string>) =>
  buildAppConfig({ JWT_SECRET: 'x'.repeat(40), CRM_ENCRYPTION_KEY: 'a'.repeat(64), DATA_DIR: '/tmp', ...env });

describe('OutboundUrlGuard', () => {
  it('requires https in production', async () => {
    const guard = new OutboundUrlGuard(configWith({ NODE_ENV: 'production' }));
    expect(guard.checkForm('http://93.184.216.34/hook')).toMatchObject({ ok: false, reason: 'must use https in production' });
    expect(guard.checkForm('https://93.184.216.34/hook').ok).toBe(true);
  });

  it('allows http outside production', () => {
    expect(new OutboundUrlGuard(configWith({ NODE_ENV: 'development' })).checkForm('http://93.184.216.34/hook').ok).toBe(true);
  });

  it('refuses loopback unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    expect((await new OutboundUrlGuard(configWith({})).check('http://127.0.0.1:9/x')).ok).toBe(false);
    expect((await new OutboundUrlGuard(configWith({ WEBHOOK_ALLOW_PRIVATE: 'true' })).check('http://127.0.0.1:9/x')).ok).toBe(true);
  });

  it('resolves names and refuses one that points at loopback', async () => {
    const v = await new OutboundUrlGuard(configWith({})).check('http://localhost:9/x');
    expect(v).toMatchObject({ ok: false, retryable: false });
  });
});
