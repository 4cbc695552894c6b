import { DataSource } from 'typeorm';
import { EntityRowLoader } from '../../src/infra/database';
import { Customer } from '../../src/modules/customers/entities/customer.entity';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('EntityRowLoader (real database)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('hydrates a customer exactly as findOne does (dates, JSON, version), and hides soft-deleted rows unless asked', async () => {
    const s = await registerTenant(t);
    const c = await createCustomer(t, s.accessToken, { tags: ['vip', 'b2b'], attributes: { plan: 'pro', seats: 12, nested: { a: [1, 2] } } });
    const ds = t.app.get(DataSource);
    const loader = new EntityRowLoader(ds, Customer, ['tenantId', 'id']);
    const viaOrm = await ds.manager.findOne(Customer, { where: { tenantId: s.tenantId, id: c.id } });
    const viaLoader = await loader.one([s.tenantId, c.id]);
    expect(viaLoader).toBeInstanceOf(Customer);
    expect(viaLoader).toEqual(viaOrm);
    expect(viaLoader!.createdAt).toBeInstanceOf(Date);
    expect(await loader.one([s.tenantId, '00000000-0000-4000-8000-000000000000'])).toBeNull();
    const other = await registerTenant(t);
    expect(await loader.one([other.tenantId, c.id])).toBeNull();

    await t.request({ method: 'DELETE', url: `/api/v1/customers/${c.id}`, token: s.accessToken });
    expect(await loader.one([s.tenantId, c.id])).toBeNull();
    const deleted = await loader.one([s.tenantId, c.id], { withDeleted: true });
    expect(deleted).toEqual(await ds.manager.findOne(Customer, { where: { tenantId: s.tenantId, id: c.id }, withDeleted: true }));
    expect(deleted!.deletedAt).toBeInstanceOf(Date);
  });
});
