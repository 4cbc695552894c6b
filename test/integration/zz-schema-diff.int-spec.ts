import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/test-app';

describe('schema diff (local check, not committed)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());
  it('entities match migrations', async () => {
    const log = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    const q = log.upQueries.map((x) => x.query);
    console.log(q.join('\n'));
    expect(q.filter((x) => /webhook|crm|campaign/.test(x))).toEqual([]);
  });
});
