import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderRunsService } from '../src/modules/reminders/runs/runs.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Home maintenance over HTTP: tasks by the calendar and by a machine's hours, completions in both schedule modes
 * (from completion, fixed: skipping missed periods), the cost log and cost per year, the overdue list, the
 * assignee check, the reminder run, the trash taking a task's completions with it, and organization B never
 * reaching organization A's. Today is 2026-06-10 (Europe/Stockholm) throughout.
 */

const api = (path: string) => `/api/v1${path}`;

interface Task {
  id: string;
  nextDue: string | null;
  dueReading: number | null;
  currentReading: number | null;
  lastReading: number | null;
  overdue: boolean;
  lastCompletedOn: string | null;
  reminderLeads: { days: number[] | null; reading: number | null };
}

describe('maintenance', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;

  const post = (user: TestUser, path: string, body: object) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const patch = (user: TestUser, path: string, body: object) =>
    t.http.patch(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const createTask = async (user: TestUser, body: object): Promise<Task> =>
    (await post(user, '/maintenance', body).expect(201)).body as Task;

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-10T10:00:00Z'));
    [a, b, c] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
    await Promise.all([a, b, c].map((u) => activatePro(t, u.organizationId, 400)));
  });

  afterAll(() => t.close());

  it('creates tasks by the calendar and by hours, with sensible defaults and validation', async () => {
    const gutters = await createTask(a, {
      title: 'Rensa takrännor',
      area: 'Takrännor',
      recurrence: { every: 1, unit: 'year' },
      assigneeId: a.id,
    });
    expect(gutters).toMatchObject({
      nextDue: '2027-06-10', // default: today plus the interval
      scheduleMode: 'from_completion',
      assigneeId: a.id,
      overdue: false,
      reminderLeads: { days: [30, 7], reading: null },
    });
    const weekly = await createTask(a, { title: 'Vattna', recurrence: { every: 1, unit: 'week' } });
    expect(weekly.reminderLeads.days).toEqual([3]);
    const mower = await createTask(a, {
      title: 'Byt olja',
      area: 'Gräsklipparen',
      recurrence: { every: 50, unit: 'hour' },
      lastReading: 100,
      currentReading: 120,
    });
    expect(mower).toMatchObject({
      nextDue: null,
      dueReading: 150,
      reminderLeads: { days: null, reading: 5 },
    });

    const noReading = await post(a, '/maintenance', { title: 'X', recurrence: { every: 50, unit: 'hour' } });
    expect(noReading.status).toBe(400);
    const readingOnCalendar = await post(a, '/maintenance', {
      title: 'X',
      recurrence: { every: 1, unit: 'month' },
      lastReading: 5,
    });
    expect(readingOnCalendar.status).toBe(400);
    const foreignAssignee = await post(a, '/maintenance', {
      title: 'X',
      recurrence: { every: 1, unit: 'month' },
      assigneeId: b.id,
    }).expect(400);
    expect(foreignAssignee.body).toMatchObject({
      code: 'INVALID_REFERENCE',
      details: { field: 'assigneeId' },
    });
    const wrongField = await patch(a, `/maintenance/${gutters.id}`, { currentReading: 10 }).expect(400);
    expect(wrongField.body.code).toBe('WRONG_RECURRENCE_FIELD');
    await patch(a, `/maintenance/${gutters.id}`, {}).expect(400);
  });

  it('completes from completion: next due is the completion date plus the interval, logged with its cost', async () => {
    const pump = await createTask(a, {
      title: 'Byt filter',
      area: 'Värmepump',
      recurrence: { every: 3, unit: 'month' },
      nextDue: '2026-05-31',
    });
    expect(pump.overdue).toBe(true);
    const done = (
      await post(a, `/maintenance/${pump.id}/complete`, {
        cost: 45_000,
        note: 'Filter från Clas Ohlson',
      }).expect(200)
    ).body as Task;
    expect(done).toMatchObject({ nextDue: '2026-09-10', lastCompletedOn: '2026-06-10', overdue: false });
    const log = (await get(a, `/maintenance/${pump.id}/completions`).expect(200)).body.items;
    expect(log).toEqual([
      expect.objectContaining({
        date: '2026-06-10',
        cost: 45_000,
        currency: 'SEK',
        note: 'Filter från Clas Ohlson',
        completedBy: a.id,
        dueDate: '2026-05-31',
        nextDue: '2026-09-10',
        reading: null,
      }),
    ]);
    const future = await post(a, `/maintenance/${pump.id}/complete`, { date: '2026-06-11' }).expect(422);
    expect(future.body.code).toBe('COMPLETION_IN_FUTURE');
    const reading = await post(a, `/maintenance/${pump.id}/complete`, { reading: 5 }).expect(400);
    expect(reading.body.code).toBe('WRONG_RECURRENCE_FIELD');
  });

  it('keeps a fixed schedule: skips the missed months after a late completion, then moves on from the due date', async () => {
    const drain = await createTask(a, {
      title: 'Rensa golvbrunn',
      recurrence: { every: 1, unit: 'month' },
      scheduleMode: 'fixed',
      nextDue: '2026-01-31',
    });
    const late = (await post(a, `/maintenance/${drain.id}/complete`, { date: '2026-06-05' }).expect(200))
      .body as Task;
    expect(late.nextDue).toBe('2026-06-30'); // Feb–May skipped, back on the month's last day
    const early = (await post(a, `/maintenance/${drain.id}/complete`, {}).expect(200)).body as Task;
    expect(early.nextDue).toBe('2026-07-31');
    // a completion dated before the last one fills in the log without moving the schedule
    const backfill = (await post(a, `/maintenance/${drain.id}/complete`, { date: '2026-03-01' }).expect(200))
      .body as Task;
    expect(backfill).toMatchObject({ nextDue: '2026-07-31', lastCompletedOn: '2026-06-10' });
    const dates = (await get(a, `/maintenance/${drain.id}/completions`).expect(200)).body.items.map(
      (x: { date: string }) => x.date,
    );
    expect(dates).toEqual(['2026-06-10', '2026-06-05', '2026-03-01']);
  });

  it('completes a machine task by its reading, in both modes', async () => {
    const mower = await createTask(a, {
      title: 'Slipa kniven',
      area: 'Gräsklipparen',
      recurrence: { every: 50, unit: 'hour' },
      lastReading: 100,
    });
    const missing = await post(a, `/maintenance/${mower.id}/complete`, {}).expect(400);
    expect(missing.body.code).toBe('READING_REQUIRED');
    const lower = await post(a, `/maintenance/${mower.id}/complete`, { reading: 90 }).expect(422);
    expect(lower.body.code).toBe('READING_DECREASED');
    const done = (await post(a, `/maintenance/${mower.id}/complete`, { reading: 148, cost: 0 }).expect(200))
      .body as Task;
    expect(done).toMatchObject({ lastReading: 148, currentReading: 148, dueReading: 198 });

    const boat = await createTask(a, {
      title: 'Serva motorn',
      area: 'Båten',
      recurrence: { every: 100, unit: 'hour' },
      scheduleMode: 'fixed',
      lastReading: 0,
    });
    const fixed = (await post(a, `/maintenance/${boat.id}/complete`, { reading: 230 }).expect(200))
      .body as Task;
    expect(fixed.dueReading).toBe(300);
    const reached = (await patch(a, `/maintenance/${boat.id}`, { currentReading: 300 }).expect(200))
      .body as Task;
    expect(reached.overdue).toBe(true);
    const back = await patch(a, `/maintenance/${boat.id}`, { currentReading: 100 }).expect(422);
    expect(back.body.code).toBe('READING_DECREASED');
  });

  it('lists overdue tasks (before today, or the reading reached), filtered by assignee', async () => {
    await createTask(c, {
      title: 'Sopa skorsten',
      recurrence: { every: 1, unit: 'year' },
      nextDue: '2026-06-09',
    });
    await createTask(c, {
      title: 'Kolla brandvarnare',
      recurrence: { every: 1, unit: 'month' },
      nextDue: '2026-06-10',
      assigneeId: c.id,
    });
    await createTask(c, {
      title: 'Byt tändstift',
      recurrence: { every: 25, unit: 'hour' },
      lastReading: 0,
      currentReading: 30,
      assigneeId: c.id,
    });
    const titles = async (path: string) =>
      ((await get(c, path).expect(200)).body.items as { title: string }[]).map((x) => x.title);
    expect(await titles('/maintenance/overdue')).toEqual(['Sopa skorsten', 'Byt tändstift']);
    expect(await titles('/maintenance?overdue=true')).toEqual(['Sopa skorsten', 'Byt tändstift']);
    expect(await titles('/maintenance?overdue=false')).toEqual(['Kolla brandvarnare']);
    expect(await titles(`/maintenance?overdue=true&assigneeId=${c.id}`)).toEqual(['Byt tändstift']);
    expect(await titles(`/maintenance?assigneeId=${c.id}&limit=1`)).toEqual(['Kolla brandvarnare']);
  });

  it('sums the maintenance cost per year', async () => {
    const task = await createTask(c, { title: 'Olja trädäck', recurrence: { every: 1, unit: 'year' } });
    await post(c, `/maintenance/${task.id}/complete`, { date: '2025-05-01', cost: 120_000 }).expect(200);
    await post(c, `/maintenance/${task.id}/complete`, { date: '2026-05-01', cost: 100_000 }).expect(200);
    await post(c, `/maintenance/${task.id}/complete`, { date: '2026-06-01', cost: 25_050 }).expect(200);
    expect((await get(c, '/maintenance/costs').expect(200)).body).toEqual({
      years: [
        { year: '2025', currency: 'SEK', cost: 120_000, completions: 1 },
        { year: '2026', currency: 'SEK', cost: 125_050, completions: 2 },
      ],
    });
  });

  it('reminds of a task by its due date and of a machine by its reading', async () => {
    const user = await createUser(t);
    await activatePro(t, user.organizationId, 400);
    await createTask(user, {
      title: 'Rensa takrännor',
      area: 'Takrännor',
      recurrence: { every: 1, unit: 'year' },
      nextDue: '2026-06-15',
    });
    await createTask(user, {
      title: 'Byt olja',
      area: 'Gräsklipparen',
      recurrence: { every: 50, unit: 'hour' },
      lastReading: 100,
      currentReading: 146, // within the default lead of 5 hours of 150
    });
    await createTask(user, {
      title: 'Smörj',
      recurrence: { every: 50, unit: 'hour' },
      lastReading: 100,
      currentReading: 120,
    });
    await t.app
      .get(RequestContext)
      .run({ tenant: { organizationId: user.organizationId, orgRole: 'owner' } }, () =>
        t.app.get(ReminderRunsService).run('2026-06-10'),
      );
    const due = (await get(user, '/reminders?due=2026-06-10').expect(200)).body.items as {
      kind: string;
      title: string;
    }[];
    expect(
      due
        .filter((r) => r.kind === 'maintenance.task')
        .map((r) => r.title)
        .sort(),
    ).toEqual([
      'Underhåll: Gräsklipparen: Byt olja vid 150 timmar',
      'Underhåll: Takrännor: Rensa takrännor senast 2026-06-15',
    ]);
  });

  it('moves a task to the trash with its completions, and back, audited', async () => {
    const task = await createTask(a, { title: 'Tvätta fönster', recurrence: { every: 6, unit: 'month' } });
    await post(a, `/maintenance/${task.id}/complete`, { cost: 80_000 }).expect(200);
    await patch(a, `/maintenance/${task.id}`, { notes: 'Fönsterputsare' }).expect(200);
    const cost2026 = async () =>
      ((await get(a, '/maintenance/costs').expect(200)).body.years as { year: string; cost: number }[]).find(
        (y) => y.year === '2026',
      )?.cost ?? 0;
    const costsBefore = await cost2026();
    const undo = (
      await t.http
        .delete(api(`/maintenance/${task.id}`))
        .set(a.auth)
        .expect(200)
    ).body;
    expect(undo).toMatchObject({ id: task.id, type: 'maintenance_task' });
    await get(a, `/maintenance/${task.id}`).expect(404);
    await get(a, `/maintenance/${task.id}/completions`).expect(404);
    expect(await cost2026()).toBe(costsBefore - 80_000);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    expect((await get(a, `/maintenance/${task.id}`).expect(200)).body.notes).toBe('Fönsterputsare');
    const log = (await get(a, `/maintenance/${task.id}/completions`).expect(200)).body.items;
    expect(log).toHaveLength(1);
    expect(await cost2026()).toBe(costsBefore);
    const audit = await get(a, `/audit?targetId=${task.id}`).expect(200);
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'maintenance_task.created',
        'maintenance_task.completed',
        'maintenance_task.updated',
        'maintenance_task.deleted',
      ]),
    );
  });

  describe('organization B cannot read or write organization A', () => {
    let task: Task;
    beforeAll(async () => {
      task = await createTask(a, { title: 'A:s uppgift', recurrence: { every: 1, unit: 'month' } });
    });

    it('answers like a missing record, never lists A’s tasks and refuses A’s member as assignee', async () => {
      const missing = (await get(b, '/maintenance/A999998').expect(404)).body;
      const foreign = (await get(b, `/maintenance/${task.id}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      expect(foreign.details).toEqual({ type: 'maintenance_task' });
      await patch(b, `/maintenance/${task.id}`, { title: 'Kapad' }).expect(404);
      await post(b, `/maintenance/${task.id}/complete`, { cost: 1 }).expect(404);
      await get(b, `/maintenance/${task.id}/completions`).expect(404);
      await t.http
        .delete(api(`/maintenance/${task.id}`))
        .set(b.auth)
        .expect(404);
      expect((await get(b, '/maintenance').expect(200)).body.items).toEqual([]);
      expect((await get(b, '/maintenance/overdue').expect(200)).body.items).toEqual([]);
      expect((await get(b, '/maintenance/costs').expect(200)).body.years).toEqual([]);
      const assignee = await post(b, '/maintenance', {
        title: 'X',
        recurrence: { every: 1, unit: 'month' },
        assigneeId: a.id,
      }).expect(400);
      expect(assignee.body.code).toBe('INVALID_REFERENCE');
      expect((await get(a, `/maintenance/${task.id}`).expect(200)).body.title).toBe('A:s uppgift');
    });
  });
});
