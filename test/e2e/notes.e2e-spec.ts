import { EventEmitter2 } from '@nestjs/event-emitter';
import { TransactionRunner } from '../../src/infra/database';
import { TokenService } from '../../src/modules/identity';
import { NOTE_EVENTS, NoteCreatedEvent, NotesService } from '../../src/modules/notes';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

interface NoteBody {
  id: string;
  type: string;
  body: string;
  pinned: boolean;
  createdAt: string;
  authorId: string | null;
}

/** The order the API promises: pinned first, then newest, then id (all descending). */
const expectedOrder = (notes: NoteBody[]) =>
  [...notes]
    .sort((x, y) => Number(y.pinned) - Number(x.pinned) || y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id))
    .map((n) => n.id);

describe('notes API', () => {
  let t: TestApp;
  let a: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
  });
  afterAll(() => t.close());

  const url = (customerId: string, rest = '') => `/api/v1/customers/${customerId}/notes${rest}`;
  const addNote = async (customerId: string, body: Record<string, unknown>, token = a.accessToken): Promise<NoteBody> => {
    const res = await t.request({ method: 'POST', url: url(customerId), token, body });
    expect(res.statusCode).toBe(201);
    return res.json();
  };

  it('creates a note authored by the user of the token, unpinned by default, with timestamps', async () => {
    const c = await createCustomer(t, a.accessToken);
    const note = await addNote(c.id, { type: 'preference', body: 'Prefers oat milk.' });
    expect(note).toMatchObject({ customerId: c.id, type: 'preference', body: 'Prefers oat milk.', pinned: false, authorId: a.userId, source: null });
    expect(Date.parse(note.createdAt)).not.toBeNaN();
    const got = await t.request({ method: 'GET', url: url(c.id, `/${note.id}`), token: a.accessToken });
    expect(got.json()).toEqual(note);
  });

  it('records no author for a machine token', async () => {
    const c = await createCustomer(t, a.accessToken);
    const machine = t.app.get(TokenService).signAccess('machine', a.tenantId, 'agent');
    expect((await addNote(c.id, { type: 'observation', body: 'Imported.' }, machine)).authorId).toBeNull();
  });

  it('lists pinned notes first, then newest first, and pages without repeats', async () => {
    const c = await createCustomer(t, a.accessToken);
    const made: NoteBody[] = [];
    for (let i = 0; i < 7; i++) made.push(await addNote(c.id, { type: 'personal', body: `note ${i}`, pinned: i === 1 || i === 4 }));
    const all = (await t.request({ method: 'GET', url: url(c.id), token: a.accessToken })).json();
    expect(all.data.map((n: NoteBody) => n.id)).toEqual(expectedOrder(made));
    expect(all.data.slice(0, 2).every((n: NoteBody) => n.pinned)).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: NoteBody[]; page: { nextCursor: string | null } } = (
        await t.request({ method: 'GET', url: url(c.id, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`), token: a.accessToken })
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((n) => n.id));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expectedOrder(made));
  });

  it('filters by one or several types', async () => {
    const c = await createCustomer(t, a.accessToken);
    await addNote(c.id, { type: 'issue', body: 'Late delivery' });
    await addNote(c.id, { type: 'feedback', body: 'Loves the app' });
    await addNote(c.id, { type: 'personal', body: 'Has two dogs' });
    const types = async (qs: string) =>
      (await t.request({ method: 'GET', url: url(c.id, qs), token: a.accessToken })).json().data.map((n: NoteBody) => n.type).sort();
    expect(await types('?type=issue')).toEqual(['issue']);
    expect(await types('?type=issue,feedback')).toEqual(['feedback', 'issue']);
    expect(await types('?type=issue&type=personal')).toEqual(['issue', 'personal']);
    expect((await t.request({ method: 'GET', url: url(c.id, '?type=rumour'), token: a.accessToken })).statusCode).toBe(400);
  });

  it('updates type, body and pin, and deletes', async () => {
    const c = await createCustomer(t, a.accessToken);
    const note = await addNote(c.id, { type: 'issue', body: 'Late delivery' });
    const patched = await t.request({ method: 'PATCH', url: url(c.id, `/${note.id}`), token: a.accessToken, body: { type: 'feedback', body: 'Resolved', pinned: true } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: note.id, type: 'feedback', body: 'Resolved', pinned: true, createdAt: note.createdAt });
    expect((await t.request({ method: 'DELETE', url: url(c.id, `/${note.id}`), token: a.accessToken })).statusCode).toBe(204);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await t.request({ method, url: url(c.id, `/${note.id}`), token: a.accessToken, body: method === 'PATCH' ? { pinned: false } : undefined });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOTE_NOT_FOUND');
    }
  });

  it('accepts a body of exactly 10,000 characters and refuses longer, empty or blank ones', async () => {
    const c = await createCustomer(t, a.accessToken);
    expect((await t.request({ method: 'POST', url: url(c.id), token: a.accessToken, body: { type: 'personal', body: 'x'.repeat(10_000) } })).statusCode).toBe(201);
    for (const body of ['x'.repeat(10_001), '', '   \n ']) {
      const res = await t.request({ method: 'POST', url: url(c.id), token: a.accessToken, body: { type: 'personal', body } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('body');
    }
    const badType = await t.request({ method: 'POST', url: url(c.id), token: a.accessToken, body: { type: 'gossip', body: 'x' } });
    expect(badType.json().error.details[0].field).toBe('type');
  });

  it('lets a viewer read notes but not write them', async () => {
    const c = await createCustomer(t, a.accessToken);
    const note = await addNote(c.id, { type: 'personal', body: 'hello' });
    const viewer = await tokenForRole(t, a, 'viewer');
    expect((await t.request({ method: 'GET', url: url(c.id), token: viewer })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: url(c.id), token: viewer, body: { type: 'personal', body: 'x' } })).statusCode).toBe(403);
    expect((await t.request({ method: 'PATCH', url: url(c.id, `/${note.id}`), token: viewer, body: { pinned: true } })).statusCode).toBe(403);
    expect((await t.request({ method: 'DELETE', url: url(c.id, `/${note.id}`), token: viewer })).statusCode).toBe(403);
  });

  describe('as used by other modules', () => {
    let events: NoteCreatedEvent[];
    const listener = (e: NoteCreatedEvent) => events.push(e);
    beforeEach(() => {
      events = [];
      t.app.get(EventEmitter2).on(NOTE_EVENTS.created, listener);
    });
    afterEach(() => t.app.get(EventEmitter2).off(NOTE_EVENTS.created, listener));

    it('emits note.created for a note made through the API', async () => {
      const c = await createCustomer(t, a.accessToken);
      const note = await addNote(c.id, { type: 'feedback', body: 'Great' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ tenantId: a.tenantId, customerId: c.id, note: { id: note.id } });
    });

    it('adds an event note inside an outer transaction and emits only after it commits', async () => {
      const c = await createCustomer(t, a.accessToken);
      const notes = t.app.get(NotesService);
      const tx = t.app.get(TransactionRunner);
      let emittedBeforeCommit = -1;
      const note = await tx.run(async (m) => {
        const n = await notes.addFromEvent(a.tenantId, c.id, { type: 'issue', body: 'Ticket #42 closed', source: 'event:support.ticket_closed' }, m);
        emittedBeforeCommit = events.length;
        return n;
      });
      expect(emittedBeforeCommit).toBe(0);
      expect(events.map((e) => e.note.id)).toEqual([note.id]);
      expect(note).toMatchObject({ authorId: null, source: 'event:support.ticket_closed', pinned: false });
    });

    it('neither keeps nor announces an event note whose transaction rolls back', async () => {
      const c = await createCustomer(t, a.accessToken);
      const notes = t.app.get(NotesService);
      const failed = await t.app
        .get(TransactionRunner)
        .run(async (m) => {
          await notes.addFromEvent(a.tenantId, c.id, { type: 'issue', body: 'never', source: 'event:test' }, m);
          throw new Error('rollback');
        })
        .catch((e: Error) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(events).toHaveLength(0);
      expect((await t.request({ method: 'GET', url: url(c.id), token: a.accessToken })).json().data).toHaveLength(0);
    });

    it('refuses an event note with an unknown type or an empty body', async () => {
      const c = await createCustomer(t, a.accessToken);
      const notes = t.app.get(NotesService);
      await expect(notes.addFromEvent(a.tenantId, c.id, { type: 'rumour' as never, body: 'x', source: 'event:test' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(notes.addFromEvent(a.tenantId, c.id, { type: 'issue', body: ' ', source: 'event:test' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('gives a context view of every pinned note and the newest unpinned ones', async () => {
      const c = await createCustomer(t, a.accessToken);
      const pinned = await addNote(c.id, { type: 'preference', body: 'Allergic to nuts', pinned: true });
      const unpinned: NoteBody[] = [];
      for (let i = 0; i < 4; i++) unpinned.push(await addNote(c.id, { type: 'personal', body: `n${i}` }));
      const ctx = await t.app.get(NotesService).contextNotes(a.tenantId, c.id, { recentLimit: 2 });
      expect(ctx.pinned.map((n) => n.id)).toEqual([pinned.id]);
      expect(ctx.recent.map((n) => n.id)).toEqual(expectedOrder(unpinned).slice(0, 2));
    });
  });
});
