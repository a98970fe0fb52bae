import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderRunsService } from '../src/modules/reminders/runs/runs.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Cars over HTTP: registration numbers, events with the odometer guard (refused, confirmed and flagged), mil vs km,
 * statistics (consumption full to full, cost per km, stations, per month), reminders for inspection and service
 * by distance, the trash taking a car's events with it, and organization B never reaching organization A's.
 */

const api = (path: string) => `/api/v1${path}`;

describe('cars', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let carId: string;

  const post = (user: TestUser, path: string, body: object) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const fuel = (
    date: string,
    odometer: number,
    litres: number,
    fullTank: boolean,
    station = 'Circle K Solna',
  ) =>
    post(a, `/cars/${carId}/events`, {
      type: 'fuel',
      date,
      odometer,
      cost: Math.round(litres * 1_950),
      quantity: litres,
      quantityUnit: 'l',
      fullTank,
      fuelType: 'petrol',
      station,
    });

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-10T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
  });

  afterAll(() => t.close());

  it('validates Swedish registration numbers and keeps one car per plate', async () => {
    const bad = await post(a, '/cars', { registration: 'AIC 123' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_REGISTRATION', details: { field: 'registration' } });
    const car = await post(a, '/cars', {
      registration: 'abc 12a',
      make: 'Volvo',
      model: 'V60',
      year: 2021,
      fuelTypes: ['petrol'],
      purchaseDate: '2026-01-10',
      purchasePrice: 25_000_000,
      serviceIntervalKm: 15_000,
      serviceIntervalMonths: 12,
      inspectionDue: '2026-07-31',
    }).expect(201);
    expect(car.body).toMatchObject({
      registration: 'ABC12A',
      registrationDisplay: 'ABC 12A',
      name: 'Volvo V60',
    });
    carId = car.body.id;
    const twin = await post(a, '/cars', { registration: 'ABC12A' }).expect(409);
    expect(twin.body.code).toBe('REGISTRATION_TAKEN');
    expect(
      (await post(a, '/cars', { registration: 'MAMMA 1', personalPlate: true }).expect(201)).body
        .registration,
    ).toBe('MAMMA1');
  });

  it('guards the odometer: lower, too far or far above the usual pace is refused unless confirmed', async () => {
    await fuel('2026-01-15', 10_000, 40, true).expect(201);
    await fuel('2026-02-01', 10_400, 10, false).expect(201);
    await fuel('2026-02-15', 10_800, 30, true).expect(201);
    const lower = await fuel('2026-03-01', 10_700, 20, true).expect(422);
    expect(lower.body).toMatchObject({
      code: 'ODOMETER_IMPLAUSIBLE',
      details: {
        reason: 'lower_than_before',
        previous: { date: '2026-02-15', odometer: 10_800 },
        unit: 'km',
      },
    });
    const jump = await fuel('2026-03-01', 16_000, 20, true).expect(422);
    expect(jump.body.details).toMatchObject({ reason: 'far_above_usual' });
    const confirmed = await post(a, `/cars/${carId}/events`, {
      type: 'service',
      date: '2026-03-01',
      odometer: 16_000,
      cost: 450_000,
      confirm: true,
    }).expect(201);
    expect(confirmed.body.flag).toBe('far_above_usual');
    // Fixing the reading clears the flag.
    const fixed = await t.http
      .patch(api(`/cars/${carId}/events/${confirmed.body.id}`))
      .set(a.auth)
      .send({ odometer: 11_400 })
      .expect(200);
    expect(fixed.body).toMatchObject({ odometer: 11_400, flag: null });
    await fuel('2026-03-15', 11_800, 32, true, 'Preem Kista').expect(201);
  });

  it('computes consumption full to full, cost per km, stations and the months', async () => {
    const stats = (await get(a, `/cars/${carId}/stats`).expect(200)).body;
    // 10 + 30 litres over 800 km, then 32 litres over 1 000 km: 72 l / 1 800 km
    expect(stats.consumption).toEqual([
      { fuelType: 'petrol', unit: 'l', per100Km: 4, quantity: 72, km: 1_800 },
    ]);
    const fuelCost =
      Math.round(40 * 1_950) + Math.round(10 * 1_950) + Math.round(30 * 1_950) + Math.round(32 * 1_950);
    expect(stats.runningCost).toBe(fuelCost + 450_000);
    expect(stats.totalCostOfOwnership).toBe(25_000_000 + fuelCost + 450_000);
    expect(stats.distance).toBe(1_800);
    expect(stats.costPerKm).toBe(Math.round((fuelCost + 450_000) / 1_800));
    expect(stats.perMonth.map((m: { period: string }) => m.period)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(stats.byType.map((g: { type: string }) => g.type)).toEqual(['service', 'fuel']);
    expect(stats.stations[0]).toMatchObject({
      station: 'Circle K Solna',
      fills: 3,
      quantity: 80,
      pricePerUnit: 1_950,
    });
    expect(stats.odometer).toMatchObject({ latest: 11_800, unit: 'km' });
  });

  it('counts a mil odometer in Swedish miles and checks it in kilometres', async () => {
    const car = (await post(a, '/cars', { registration: 'XYZ 987', odometerUnit: 'mil' }).expect(201)).body;
    await post(a, `/cars/${car.id}/events`, {
      type: 'fuel',
      date: '2026-05-01',
      odometer: 1_000,
      cost: 1,
    }).expect(201);
    const next = await post(a, `/cars/${car.id}/events`, {
      type: 'washing',
      date: '2026-05-02',
      odometer: 1_149,
      cost: 1,
    });
    expect(next.status).toBe(201); // 1 490 km in a day
    const tooFar = await post(a, `/cars/${car.id}/events`, {
      type: 'other',
      date: '2026-05-03',
      odometer: 1_300,
      cost: 1,
    });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.details).toMatchObject({
      reason: 'too_far',
      unit: 'mil',
      previous: { odometer: 1_149 },
    });
  });

  it('reminds of the inspection by date and of the service by distance', async () => {
    const run = (date: string) =>
      t.app
        .get(RequestContext)
        .run({ tenant: { organizationId: a.organizationId, orgRole: 'owner' } }, () =>
          t.app.get(ReminderRunsService).run(date),
        );
    // 13 600 km since the last reading in 87 days: fast, but within ten times the usual pace.
    await fuel('2026-06-10', 25_400, 40, true).expect(201);
    await run('2026-07-01');
    const due = (await get(a, '/reminders?due=2026-07-01').expect(200)).body.items as {
      kind: string;
      title: string;
    }[];
    expect(due.map((r) => r.kind).sort()).toEqual(['car.inspection', 'car.service']);
    expect(due.find((r) => r.kind === 'car.inspection')?.title).toBe(
      'Besiktning av ABC12A senast 2026-07-31',
    );
    // Service every 15 000 km from the service at 11 400 km: due at 26 400, reminded from 25 400 (estimated today).
    const service = due.find((r) => r.kind === 'car.service');
    expect(service?.title).toBe('Service av ABC12A: 2027-03-01 eller 26400 km');
  });

  it('moves a car to the trash with its events, and back', async () => {
    const car = (await post(a, '/cars', { registration: 'DEF 456' }).expect(201)).body;
    const event = (
      await post(a, `/cars/${car.id}/events`, { type: 'parking', date: '2026-06-01', cost: 2_500 }).expect(
        201,
      )
    ).body;
    const undo = (
      await t.http
        .delete(api(`/cars/${car.id}`))
        .set(a.auth)
        .expect(200)
    ).body;
    await get(a, `/cars/${car.id}/events`).expect(404);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    const events = (await get(a, `/cars/${car.id}/events`).expect(200)).body.items as { id: string }[];
    expect(events.map((e) => e.id)).toEqual([event.id]);
  });

  describe('organization B cannot read or write organization A', () => {
    it('answers like a missing record and never lists A’s cars', async () => {
      const missing = (await get(b, '/cars/A999998').expect(404)).body;
      const foreign = (await get(b, `/cars/${carId}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      await get(b, `/cars/${carId}/events`).expect(404);
      await get(b, `/cars/${carId}/stats`).expect(404);
      await post(b, `/cars/${carId}/events`, { type: 'other', date: '2026-06-01', cost: 1 }).expect(404);
      await t.http
        .delete(api(`/cars/${carId}`))
        .set(b.auth)
        .expect(404);
      expect((await get(b, '/cars').expect(200)).body.items).toEqual([]);
      // B may register the same plate in its own organization
      await post(b, '/cars', { registration: 'ABC 12A' }).expect(201);
    });
  });
});
