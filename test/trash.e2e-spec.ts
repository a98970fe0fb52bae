import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { QueueName } from '../src/infrastructure/queue/queue.constants';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { RecordRegistry } from '../src/modules/trash/record-registry';
import type { RecordTypeDefinition, TrashableRecord } from '../src/modules/trash/record-types';
import { TrashRetentionJobs } from '../src/modules/trash/trash.jobs';
import { TrashService } from '../src/modules/trash/trash.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';
import { jpegWithGps, minimalPdf } from './helpers/upload-fixtures';
import {
  eventually,
  getContent,
  uploadAndWait,
  withoutRequestId,
  type UploadBody,
} from './helpers/uploads-api';

const DAY = 24 * 3600 * 1000;

interface TestRecord extends TrashableRecord {
  organizationId: string;
  name: string;
  isDeleted: boolean;
}

/**
 * The trash across record types. Besides uploads (the first real type), the spec registers two throwaway types in
 * the running app, stored in their own collections: `test-note` (a unique name per organization, so restoring
 * into a taken name can be shown) and `test-verifikation` (a bookkeeping record: never deleted, never purged).
 */
describe('trash', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let clock: Clock;
  let context: RequestContext;
  let trash: TrashService;

  const notes = () => t.db.collection<TestRecord & { _id: string }>('test_notes');
  const verifikationer = () => t.db.collection<TestRecord & { _id: string }>('test_verifikationer');
  const tenantId = () => context.requireTenant().organizationId;

  function testType(
    type: string,
    collection: () => ReturnType<typeof notes>,
    bookkeeping: RecordTypeDefinition<TestRecord>['bookkeeping'],
  ): RecordTypeDefinition<TestRecord> {
    return {
      type,
      bookkeeping,
      find: async (id, { withDeleted }) =>
        collection().findOne({
          _id: id,
          organizationId: tenantId(),
          ...(withDeleted ? {} : { isDeleted: false }),
        }),
      label: (record) => record.name,
      trash: {
        softDelete: (id) =>
          collection().updateOne(
            { _id: id, organizationId: tenantId(), isDeleted: false },
            { $set: { isDeleted: true } },
          ),
        restore: (id) =>
          collection().updateOne(
            { _id: id, organizationId: tenantId(), isDeleted: true },
            { $set: { isDeleted: false } },
          ),
        restoreConflict: async (record) => {
          const taken = await collection().findOne({
            organizationId: tenantId(),
            name: record.name,
            isDeleted: false,
            _id: { $ne: record._id },
          });
          return taken ? { field: 'name', value: record.name } : null;
        },
        purge: async (id) => {
          await collection().deleteOne({ _id: id, organizationId: tenantId(), isDeleted: true });
        },
      },
    };
  }

  /** Runs service code as `user` in their organization, as a request would. */
  const as = <R>(user: TestUser, fn: () => Promise<R>): Promise<R> =>
    context.run(
      {
        actor: { userId: user.id, platformRole: 'user' },
        tenant: { organizationId: user.organizationId, orgRole: 'owner' },
      },
      fn,
    );

  async function newRecord(
    collection: () => ReturnType<typeof notes>,
    user: TestUser,
    name: string,
  ): Promise<string> {
    const id = await t.app.get(GlobalIdService).getNextGlobalId();
    await collection().insertOne({ _id: id, organizationId: user.organizationId, name, isDeleted: false });
    return id;
  }

  const trashList = async (user: TestUser, query = '') =>
    (await t.http.get(`/api/v1/trash${query}`).set(user.auth).expect(200)).body as {
      items: Array<{
        id: string;
        type: string;
        label: string;
        deletedAt: string;
        expiresAt: string;
        deletedBy: { id: string; name: string };
        cascaded: Array<{ id: string; type: string }>;
      }>;
      nextCursor: string | null;
    };

  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  const folderOf = (id: string) => join(t.config.uploadsDir, id);

  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([
      createUser(t, { name: 'Alice Andersson' }),
      createUser(t, { name: 'Bob Berg' }),
    ]);
    await activatePro(t, alice.organizationId);
    await activatePro(t, bob.organizationId);
    clock = t.app.get(Clock);
    context = t.app.get(RequestContext);
    trash = t.app.get(TrashService);
    const registry = t.app.get(RecordRegistry);
    // A note whose name starts with "Bokförd" counts as booked: bookkeeping decided per record.
    registry.register(testType('test-note', notes, (note) => note.name.startsWith('Bokförd')));
    registry.register(testType('test-verifikation', verifikationer, true));
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
  });

  it('DELETE answers the undo payload; the undo brings the file back, content and all', async () => {
    const file = await uploadAndWait(t, alice, await jpegWithGps(), 'kvitto.jpg');
    const before = await getContent(t, alice, file.id, 'original');

    const deleted = await t.http.delete(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(200);
    expect(deleted.body).toEqual({
      id: file.id,
      type: 'upload',
      deletedAt: expect.any(String),
      undo: { method: 'POST', href: `/api/v1/trash/${file.id}/restore` },
      expiresAt: expect.any(String),
    });
    expect(Date.parse(deleted.body.expiresAt) - Date.parse(deleted.body.deletedAt)).toBe(30 * DAY);
    await t.http.get(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(404);
    await getContent(t, alice, file.id, 'original', { expect: 404 });
    await t.http.delete(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(404);

    const listed = await trashList(alice);
    expect(listed.items).toContainEqual({
      id: file.id,
      type: 'upload',
      label: 'kvitto.jpg',
      deletedAt: deleted.body.deletedAt,
      deletedBy: { id: alice.id, name: 'Alice Andersson' },
      expiresAt: deleted.body.expiresAt,
      cascaded: [],
      undo: deleted.body.undo,
    });

    const restored = await t.http.post(deleted.body.undo.href).set(alice.auth).expect(200);
    expect(restored.body).toEqual({ id: file.id, type: 'upload', restored: [file.id] });
    const after = await getContent(t, alice, file.id, 'original');
    expect((after.body as Buffer).equals(before.body as Buffer)).toBe(true);
    expect(after.headers.etag).toBe(before.headers.etag);
    expect((await trashList(alice)).items.map((i) => i.id)).not.toContain(file.id);
    await t.http.post(deleted.body.undo.href).set(alice.auth).expect(404); // nothing left to undo
  });

  it('restore brings back exactly what was deleted with it, nothing else', async () => {
    const parent = await uploadAndWait(t, alice, minimalPdf(), 'avtal.pdf');
    const child = await uploadAndWait(t, alice, minimalPdf(), 'bilaga-1.pdf', { recordId: parent.id });
    const grandchild = await uploadAndWait(t, alice, minimalPdf(), 'bilaga-1a.pdf', { recordId: child.id });
    const loner = await uploadAndWait(t, alice, minimalPdf(), 'bilaga-2.pdf', { recordId: parent.id });

    await t.http.delete(`/api/v1/uploads/${loner.id}`).set(alice.auth).expect(200); // on its own, first
    await t.http.delete(`/api/v1/uploads/${parent.id}`).set(alice.auth).expect(200);
    const items = (await trashList(alice)).items;
    expect(items.find((i) => i.id === parent.id)?.cascaded).toEqual([
      { type: 'upload', id: child.id },
      { type: 'upload', id: grandchild.id },
    ]);
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([parent.id, loner.id]));
    expect(items.map((i) => i.id)).not.toContain(child.id); // one entry per delete, not per cascaded record
    await t.http.get(`/api/v1/uploads/${grandchild.id}`).set(alice.auth).expect(404);

    // The loner cannot come back while the record it belongs to is in the trash.
    const blocked = await t.http.post(`/api/v1/trash/${loner.id}/restore`).set(alice.auth).expect(409);
    expect(blocked.body).toMatchObject({
      code: 'PARENT_IN_TRASH',
      details: { parentType: 'upload', parentId: parent.id },
    });

    const restored = await t.http.post(`/api/v1/trash/${parent.id}/restore`).set(alice.auth).expect(200);
    expect(restored.body.restored).toEqual([parent.id, child.id, grandchild.id]);
    for (const id of [parent.id, child.id, grandchild.id])
      await t.http.get(`/api/v1/uploads/${id}`).set(alice.auth).expect(200);
    await t.http.get(`/api/v1/uploads/${loner.id}`).set(alice.auth).expect(404); // still in the trash
    await t.http.post(`/api/v1/trash/${loner.id}/restore`).set(alice.auth).expect(200);
    await t.http.get(`/api/v1/uploads/${loner.id}`).set(alice.auth).expect(200);
  });

  it('delete for good removes the records and their files from disk', async () => {
    const parent = await uploadAndWait(t, alice, await jpegWithGps(), 'foto.jpg');
    const child = await uploadAndWait(t, alice, minimalPdf(), 'intyg.pdf', { recordId: parent.id });
    const folder = folderOf(parent.id);
    expect(await exists(join(folder, `${parent.id}.compressed.webp`))).toBe(true);
    expect(await exists(join(folder, `${child.id}.original`))).toBe(true);

    await t.http.delete(`/api/v1/uploads/${parent.id}`).set(alice.auth).expect(200);
    expect(await exists(join(folder, `${parent.id}.original`))).toBe(true); // the trash keeps the files
    const purged = await t.http.delete(`/api/v1/trash/${parent.id}`).set(alice.auth).expect(200);
    expect(purged.body).toEqual({ id: parent.id, type: 'upload', purged: [parent.id, child.id] });
    expect(await exists(folder)).toBe(false);
    expect(
      await t.db.collection('uploads').countDocuments({ _id: { $in: [parent.id, child.id] } as never }),
    ).toBe(0);
    expect(await t.db.collection('trash_items').countDocuments({ _id: parent.id as never })).toBe(0);
    await t.http.post(`/api/v1/trash/${parent.id}/restore`).set(alice.auth).expect(404);
    await t.http.delete(`/api/v1/trash/${parent.id}`).set(alice.auth).expect(404);
  });

  it('lists across types, newest first, with a type filter and cursor pages', async () => {
    const ids: string[] = [];
    for (const name of ['ett.pdf', 'två.pdf', 'tre.pdf']) {
      const file = await uploadAndWait(t, bob, minimalPdf(), name);
      clock.advance(60_000);
      await t.http.delete(`/api/v1/uploads/${file.id}`).set(bob.auth).expect(200);
      ids.push(file.id);
    }
    const noteId = await newRecord(notes, bob, 'Inköpslista');
    clock.advance(60_000);
    const undo = await as(bob, () => trash.delete('test-note', noteId));
    expect(undo).toMatchObject({
      id: noteId,
      type: 'test-note',
      undo: { href: `/api/v1/trash/${noteId}/restore` },
    });

    const all = await trashList(bob);
    expect(all.items.map((i) => i.id)).toEqual([noteId, ...ids.slice().reverse()]);
    expect(all.items[0]).toMatchObject({
      type: 'test-note',
      label: 'Inköpslista',
      deletedBy: { id: bob.id, name: 'Bob Berg' },
    });
    const uploadsOnly = await trashList(bob, '?type=upload');
    expect(uploadsOnly.items.map((i) => i.id)).toEqual(ids.slice().reverse());

    const first = await trashList(bob, '?limit=2');
    expect(first.items.map((i) => i.id)).toEqual([noteId, ids[2]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await trashList(bob, `?limit=2&cursor=${encodeURIComponent(first.nextCursor as string)}`);
    expect(second.items.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    expect(second.nextCursor).toBeNull();

    const bad = await t.http.get('/api/v1/trash?type=Not%20A%20Type').set(bob.auth).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    await t.http.get('/api/v1/trash?cursor=garbage').set(bob.auth).expect(400);
  });

  it('the record and its trash item carry the same deletion time, from the Clock', async () => {
    const file = await uploadAndWait(t, bob, minimalPdf(), 'klocka.pdf');
    clock.advance(5 * DAY);
    const deleted = await t.http.delete(`/api/v1/uploads/${file.id}`).set(bob.auth).expect(200);
    const stored = await t.db.collection('uploads').findOne({ _id: file.id as never });
    expect(stored).toMatchObject({ isDeleted: true, deletedAt: new Date(deleted.body.deletedAt) });
    expect(Date.parse(deleted.body.deletedAt) - Date.now()).toBeGreaterThan(5 * DAY - 60_000);
  });

  it('restoring into a unique name that is now taken → 409 RESTORE_NAME_TAKEN, nothing changed', async () => {
    const noteId = await newRecord(notes, alice, 'Budget 2026');
    await as(alice, () => trash.delete('test-note', noteId));
    const twin = await newRecord(notes, alice, 'Budget 2026');

    const res = await t.http.post(`/api/v1/trash/${noteId}/restore`).set(alice.auth).expect(409);
    expect(res.body).toMatchObject({
      code: 'RESTORE_NAME_TAKEN',
      details: { type: 'test-note', id: noteId, field: 'name', value: 'Budget 2026' },
    });
    expect(await notes().findOne({ _id: noteId })).toMatchObject({ isDeleted: true });
    expect((await trashList(alice)).items.map((i) => i.id)).toContain(noteId);

    await notes().updateOne({ _id: twin }, { $set: { name: 'Budget 2026 (kopia)' } });
    await t.http.post(`/api/v1/trash/${noteId}/restore`).set(alice.auth).expect(200);
    expect(await notes().findOne({ _id: noteId })).toMatchObject({ isDeleted: false });
  });

  it('bookkeeping records and their files can never be deleted or purged → 409 BOOKKEEPING_RECORD_IMMUTABLE', async () => {
    const verId = await newRecord(verifikationer, alice, 'Verifikation A1');
    const underlag = await uploadAndWait(t, alice, minimalPdf(), 'kvitto.pdf', { recordId: verId });
    expect(underlag).toMatchObject({ recordId: verId, recordType: 'test-verifikation' });

    const res = await t.http.delete(`/api/v1/uploads/${underlag.id}`).set(alice.auth).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      code: 'BOOKKEEPING_RECORD_IMMUTABLE',
      message: expect.stringContaining('BFL 7 kap'),
    });
    await expect(as(alice, () => trash.delete('test-verifikation', verId))).rejects.toMatchObject({
      code: 'BOOKKEEPING_RECORD_IMMUTABLE',
    });
    await t.http.get(`/api/v1/uploads/${underlag.id}`).set(alice.auth).expect(200);

    // Per record: a file attached to a booked note is just as immutable; one on an ordinary note is not.
    const booked = await newRecord(notes, alice, 'Bokförd faktura 42');
    const plain = await newRecord(notes, alice, 'Anteckning');
    const onBooked = await uploadAndWait(t, alice, minimalPdf(), 'faktura.pdf', { recordId: booked });
    const onPlain = await uploadAndWait(t, alice, minimalPdf(), 'lapp.pdf', { recordId: plain });
    const refused = await t.http.delete(`/api/v1/uploads/${onBooked.id}`).set(alice.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'BOOKKEEPING_RECORD_IMMUTABLE' });
    await t.http.delete(`/api/v1/uploads/${onPlain.id}`).set(alice.auth).expect(200);
    await t.http.post(`/api/v1/trash/${onPlain.id}/restore`).set(alice.auth).expect(200);

    // Even a bookkeeping record that reached the trash some other way is never purged, by hand or by emptying.
    await verifikationer().updateOne({ _id: verId }, { $set: { isDeleted: true } });
    const now = new Date();
    await t.db.collection('trash_items').insertOne({
      _id: verId as never,
      organizationId: alice.organizationId,
      type: 'test-verifikation',
      label: 'Verifikation A1',
      deletedAt: now,
      deletedBy: alice.id,
      purgeAt: now,
      cascaded: [],
      cascadedIds: [],
      createdAt: now,
      updatedAt: now,
    });
    const purge = await t.http.delete(`/api/v1/trash/${verId}`).set(alice.auth).expect(409);
    expect(purge.body).toMatchObject({ code: 'BOOKKEEPING_RECORD_IMMUTABLE' });
    const emptied = await t.http.post('/api/v1/trash/empty').set(alice.auth).expect(200);
    expect(emptied.body.skipped).toBe(1);
    expect(await verifikationer().findOne({ _id: verId })).not.toBeNull();
    expect(await exists(join(folderOf(verId), `${underlag.id}.original`))).toBe(true);
    // …and the retention job leaves it too.
    const jobs = t.app.get(TrashRetentionJobs);
    await expect(
      jobs.purgeDue({ dueBefore: new Date(Date.now() + DAY).toISOString() }),
    ).resolves.toMatchObject({ failed: 1 });
    expect(await verifikationer().findOne({ _id: verId })).not.toBeNull();
    await t.db.collection('trash_items').deleteOne({ _id: verId as never });
  });

  it('empties the trash for good, files included', async () => {
    const a = await uploadAndWait(t, bob, minimalPdf(), 'a.pdf');
    const b = await uploadAndWait(t, bob, await jpegWithGps(), 'b.jpg');
    for (const id of [a.id, b.id]) await t.http.delete(`/api/v1/uploads/${id}`).set(bob.auth).expect(200);
    const before = (await trashList(bob)).items.length;
    expect(before).toBeGreaterThanOrEqual(2);
    const res = await t.http.post('/api/v1/trash/empty').set(bob.auth).expect(200);
    expect(res.body).toEqual({ purged: before, skipped: 0 });
    expect((await trashList(bob)).items).toEqual([]);
    expect(await exists(folderOf(a.id))).toBe(false);
    expect(await exists(folderOf(b.id))).toBe(false);
  });

  it('emptying the trash needs an organization admin: a member gets 403 INSUFFICIENT_ORG_ROLE, nothing purged', async () => {
    await t.http
      .post(`/api/v1/organizations/${bob.organizationId}/invitations`)
      .set(bob.auth)
      .send({ email: 'papperskorg-medlem@example.se', role: 'member' })
      .expect(201);
    const mail = await t.mail.waitFor('papperskorg-medlem@example.se', /./);
    const member = await createUser(t, { email: 'papperskorg-medlem@example.se', name: 'Medlem Mattsson' });
    await t.http
      .post('/api/v1/invitations/accept')
      .set(member.auth)
      .send({ token: MailCatcher.token(mail) })
      .expect(200);
    const asMember = { ...member.auth, 'X-Organization-Id': bob.organizationId };

    const file = await uploadAndWait(t, bob, minimalPdf(), 'medlem.pdf');
    // A member may still delete and restore single records (their own work), and sees the trash.
    await t.http.delete(`/api/v1/uploads/${file.id}`).set(asMember).expect(200);
    expect((await t.http.get('/api/v1/trash').set(asMember).expect(200)).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: file.id })]),
    );
    const refused = await t.http.post('/api/v1/trash/empty').set(asMember).expect(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      code: 'INSUFFICIENT_ORG_ROLE',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect((await trashList(bob)).items.map((i) => i.id)).toContain(file.id);
    expect(await exists(folderOf(file.id))).toBe(true);

    // The owner (admin rank and above) may.
    const res = await t.http.post('/api/v1/trash/empty').set(bob.auth).expect(200);
    expect(res.body).toMatchObject({ purged: expect.any(Number), skipped: 0 });
    expect((await trashList(bob)).items).toEqual([]);
  });

  it('the retention job purges after the deleting user’s retentionDays, files included', async () => {
    const keep = await uploadAndWait(t, alice, minimalPdf(), 'behåll.pdf');
    await t.http.delete(`/api/v1/uploads/${keep.id}`).set(alice.auth).expect(200); // 30 days

    await t.http
      .patch('/api/v1/me/preferences')
      .set(alice.auth)
      .send({ trash: { retentionDays: 2 } })
      .expect(200);
    const soon = await uploadAndWait(t, alice, await jpegWithGps(), 'snart.jpg');
    const deleted = await t.http.delete(`/api/v1/uploads/${soon.id}`).set(alice.auth).expect(200);
    expect(Date.parse(deleted.body.expiresAt) - Date.parse(deleted.body.deletedAt)).toBe(2 * DAY);
    expect(await exists(folderOf(soon.id))).toBe(true);

    const jobs = t.app.get(TrashRetentionJobs);
    const inTrash = async (id: string) => (await trashList(alice)).items.some((i) => i.id === id);

    const completed = async (jobId: string) => {
      const job = await t.app.get(JobQueue).queue(QueueName.Trash).getJob(jobId);
      return (await job?.getState()) === 'completed';
    };

    clock.advance(DAY); // one day later nothing is due yet
    const early = await jobs.enqueue();
    await eventually(() => completed(early), 30_000, 'the first retention job');
    expect(await inTrash(soon.id)).toBe(true);
    expect(await jobs.enqueue()).toBe(early); // the same hour: the same job, not a second one

    clock.advance(2 * DAY); // three days after the delete
    await jobs.enqueue();
    await eventually(async () => !(await inTrash(soon.id)), 30_000, 'the 2-day item to be purged');
    expect(await exists(folderOf(soon.id))).toBe(false);
    expect(await t.db.collection('uploads').countDocuments({ _id: soon.id as never })).toBe(0);
    expect(await inTrash(keep.id)).toBe(true);

    clock.advance(28 * DAY);
    await jobs.enqueue();
    await eventually(async () => !(await inTrash(keep.id)), 30_000, 'the 30-day item to be purged');
    expect(await exists(folderOf(keep.id))).toBe(false);

    const audit = await t.http
      .get(`/api/v1/audit?action=record.purged&targetId=${soon.id}`)
      .set(alice.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actorId: null, metadata: expect.objectContaining({ reason: 'retention' }) }),
    ]);
    await t.http
      .patch('/api/v1/me/preferences')
      .set(alice.auth)
      .send({ trash: { retentionDays: 30 } })
      .expect(200);
  });

  it('every delete, restore and purge is audited', async () => {
    const file = await uploadAndWait(t, alice, minimalPdf(), 'granskad.pdf');
    await t.http.delete(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(200);
    await t.http.post(`/api/v1/trash/${file.id}/restore`).set(alice.auth).expect(200);
    await t.http.delete(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(200);
    await t.http.delete(`/api/v1/trash/${file.id}`).set(alice.auth).expect(200);
    const res = await t.http.get(`/api/v1/audit?targetId=${file.id}`).set(alice.auth).expect(200);
    const actions = (res.body.items as Array<{ action: string; actorId: string; targetType: string }>)
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual([
      'upload.created',
      'record.deleted',
      'record.restored',
      'record.deleted',
      'record.purged',
    ]);
    expect(
      res.body.items.every(
        (e: { actorId: string; targetType: string }) => e.actorId === alice.id && e.targetType === 'upload',
      ),
    ).toBe(true);
  });

  it('organization B cannot see, restore or purge organization A’s trash', async () => {
    const file: UploadBody = await uploadAndWait(t, alice, minimalPdf(), 'hemligt.pdf');
    await t.http.delete(`/api/v1/uploads/${file.id}`).set(alice.auth).expect(200);
    expect((await trashList(bob)).items.map((i) => i.id)).not.toContain(file.id);
    const missing = await t.http.post('/api/v1/trash/A999999/restore').set(bob.auth).expect(404);
    const foreign = await t.http.post(`/api/v1/trash/${file.id}/restore`).set(bob.auth).expect(404);
    expect(withoutRequestId(foreign)).toEqual(withoutRequestId(missing));
    await t.http.delete(`/api/v1/trash/${file.id}`).set(bob.auth).expect(404);
    await t.http.post('/api/v1/trash/empty').set(bob.auth).expect(200);
    expect((await trashList(alice)).items.map((i) => i.id)).toContain(file.id);
    await t.http.post(`/api/v1/trash/${file.id}/restore`).set(alice.auth).expect(200);
  });
});
