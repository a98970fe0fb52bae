/**
 * bench/household — issue 12's size targets on the embedded default (the test profile's FerretDB):
 *
 * 1. Dashboards. One organization with 200 contracts, 5 cars with 3 000 events, 500 warranties and 200 home
 *    maintenance tasks. Each module's
 *    dashboard over HTTP (real token, guards, rate limiter, JSON) against the raw driver queries that feed it, in
 *    the same run, alternating: `GET /contracts/stats` vs the running contracts' find; `GET /cars/:id/stats` vs the
 *    car's cost aggregation and its events' find; `GET /warranties?status=expiring` vs its find. Target ≤ 2×.
 * 2. The daily reminder run over BENCH_ORGS organizations of that size (default 1 000; the first one is the
 *    dashboards' organization). The data is seeded behind the API's back, so the first scan runs every
 *    organization in full and builds its schedule (timed, reported, not the target). Then BENCH_DAYS (default 7)
 *    mornings in a row: the real scan job reads the schedule and enqueues a run per organization with records due,
 *    the workers (concurrency 4) run them; each timed from the scan until the queue is empty, next to the raw
 *    reads of every organization's contracts, warranties and cars (what a run reading everything would need).
 *    Target: every morning ≤ 60 s for 1 000 organizations.
 *
 *   npm run bench:household                        (BENCH_ORGS=1000, BENCH_RUNS=9)
 *   BENCH_ORGS=50 npm run bench:household          a quick run
 * Seeding goes through the bulk-write helper (`insertMany`), ids in blocks. Exit code 1 when a target is missed.
 */
import { getModelToken } from '@nestjs/mongoose';
import { Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Model } from 'mongoose';
import { addDays, addMonthsToDate } from '../src/common/dates';
import { Clock } from '../src/infrastructure/clock/clock';
import { insertMany } from '../src/infrastructure/mongo/bulk-writes';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { CarEventEntity } from '../src/modules/cars/events/events.schema';
import { CarEntity } from '../src/modules/cars/cars/cars.schema';
import { ContractEntity } from '../src/modules/contracts/contracts/contracts.schema';
import { OrganizationEntity } from '../src/modules/organizations/organizations.schema';
import { ReminderJobs, type DailyScan } from '../src/modules/reminders/runs/runs.jobs';
import { MaintenanceTaskEntity } from '../src/modules/maintenance/tasks/tasks.schema';
import { dailyDistance } from '../src/modules/reminders/reminders.contract';
import { WarrantyEntity } from '../src/modules/warranties/warranties/warranties.schema';
import { seededRandom } from '../src/common/seeded-random';
import { compare, median, startBenchApp, time, type BenchApp } from './lib/harness';
import { run } from './lib/run';

const ORGS = Number(process.env.BENCH_ORGS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const CONTRACTS = 200;
const CARS = 5;
const EVENTS_PER_CAR = 600;
const WARRANTIES = 500;
const TASKS = 200;
const TODAY = '2026-12-02';
const DASHBOARD_TARGET = 2;
const RUN_TARGET_MS_PER_1000 = 60_000;

type Doc = Record<string, unknown>;
const plate = (i: number) =>
  `${'ABCDEFGHJKLMNOPRSTU'[i % 19]}${'BCDFGHJKLMN'[Math.floor(i / 19) % 11]}X${String(100 + (i % 900))}`;

/** One organization's records, as stored (the repositories' shapes), with fresh ids. */
function household(
  organizationId: string,
  ids: () => string,
  seed: number,
): Record<'contracts' | 'cars' | 'events' | 'warranties' | 'tasks', Doc[]> {
  const rand = seededRandom(seed);
  const now = new Date();
  const base = {
    organizationId,
    createdAt: now,
    updatedAt: now,
    isDeleted: false,
    deletedAt: null,
    deletedBy: null,
  };
  const contracts = Array.from({ length: CONTRACTS }, (_, i) => {
    const start = addDays('2022-01-01', Math.floor(rand() * 1400));
    const amount = 4_900 + Math.floor(rand() * 100_000);
    const ended = rand() < 0.1;
    return {
      ...base,
      _id: ids(),
      name: `Avtal ${i}`,
      nameKey: `avtal ${i}`,
      kind: ['subscription', 'electricity', 'broadband', 'mobile', 'streaming', 'insurance_premium'][i % 6],
      providerId: null,
      categoryId: null,
      currency: 'SEK',
      frequencyUnit: 'month',
      frequencyEvery: [1, 1, 1, 3, 12][i % 5],
      prices:
        rand() < 0.3
          ? [
              { from: start, amount },
              { from: addMonthsToDate(start, 6), amount: amount + 2_000 },
            ]
          : [{ from: start, amount }],
      variableAmount: false,
      startDate: start,
      bindingMonths: [0, 12, 24][i % 3],
      noticeUnit: 'month',
      noticeCount: [1, 3][i % 2],
      renewalMonths: i % 4 === 0 ? 12 : null,
      cancelledOn: null,
      endDate: ended ? addDays(start, 400) : null,
      notes: null,
      reminderLeadDays: null,
    };
  });
  const cars = Array.from({ length: CARS }, (_, i) => ({
    ...base,
    _id: ids(),
    name: `Bil ${i}`,
    registration: plate(seed * CARS + i),
    personalPlate: false,
    make: 'Volvo',
    model: 'V60',
    year: 2020,
    fuelTypes: ['petrol'],
    purchaseDate: '2020-03-01',
    purchasePrice: 30_000_000,
    currency: 'SEK',
    odometerUnit: 'km',
    serviceIntervalKm: 15_000,
    serviceIntervalMonths: 12,
    serviceCombine: 'first',
    inspectionDue: addDays(TODAY, Math.floor(rand() * 300)),
    taxDue: addDays(TODAY, Math.floor(rand() * 300)),
    insuranceRenewal: addDays(TODAY, Math.floor(rand() * 300)),
    reminderLeadDays: null,
    reminderLeadKm: null,
    notes: null,
  }));
  const events = cars.flatMap((car) => {
    let km = 20_000;
    return Array.from({ length: EVENTS_PER_CAR }, (_, i) => {
      const date = addDays('2020-03-01', Math.floor((i * 2400) / EVENTS_PER_CAR));
      km += 40 + Math.floor(rand() * 80);
      const fuel = i % 4 !== 3;
      return {
        ...base,
        _id: ids(),
        carId: car._id,
        type: fuel ? 'fuel' : ['service', 'repair', 'tyres', 'parking', 'washing'][i % 5],
        date,
        period: date.slice(0, 7),
        odometerKm: km,
        cost: 20_000 + Math.floor(rand() * 80_000),
        currency: 'SEK',
        quantity: fuel ? 30 + Math.floor(rand() * 20) : null,
        quantityUnit: fuel ? 'l' : null,
        fullTank: fuel && rand() < 0.7,
        fuelType: fuel ? 'petrol' : null,
        station: fuel ? ['Circle K', 'Preem', 'OKQ8', 'St1'][i % 4] : null,
        notes: null,
        flag: null,
      };
    });
  });
  const warranties = Array.from({ length: WARRANTIES }, (_, i) => {
    const purchase = addDays('2023-06-01', Math.floor(rand() * 1200));
    return {
      ...base,
      _id: ids(),
      item: `Pryl ${i}`,
      storeId: null,
      storeName: 'Elgiganten',
      purchaseDate: purchase,
      price: 10_000 + Math.floor(rand() * 1_000_000),
      currency: 'SEK',
      lengthMonths: 24,
      endDate: addDays(addMonthsToDate(purchase, 24), -1),
      transactionId: null,
      receiptUploadId: null,
      reminderLeadDays: null,
      notes: null,
    };
  });
  // What the cars' reminder source keeps from their events when they are written through the API.
  for (const car of cars) {
    const mine = events.filter((e) => e.carId === car._id);
    const service = mine.filter((e) => e.type === 'service').pop();
    const recent = mine
      .filter((e) => e.date >= addDays(TODAY, -400))
      .map((e) => ({ date: e.date, odometer: e.odometerKm }));
    const latest = recent[recent.length - 1] ?? null;
    Object.assign(car, {
      reminderBasis: {
        fromDate: service?.date ?? car.purchaseDate,
        fromKm: service?.odometerKm ?? null,
        latestDate: latest?.date ?? null,
        latestKm: latest?.odometer ?? null,
        perDayKm: dailyDistance(recent),
      },
    });
  }
  const units = ['day', 'week', 'month', 'year'] as const;
  const tasks = Array.from({ length: TASKS }, (_, i) => {
    const nextDue = addDays(TODAY, Math.floor(rand() * 365));
    return {
      ...base,
      _id: ids(),
      title: `Uppgift ${i}`,
      description: null,
      area: ['Kök', 'Badrum', 'Trädgård', 'Tak'][i % 4],
      every: 1 + (i % 6),
      unit: units[i % 4],
      scheduleMode: i % 2 ? 'from_completion' : 'fixed',
      assigneeId: null,
      nextDue,
      anchor: nextDue,
      lastReading: null,
      currentReading: null,
      dueReading: null,
      readingDue: false,
      sortDue: nextDue,
      leadDays: null,
      leadReading: null,
      lastCompletedOn: null,
      notes: null,
    };
  });
  return { contracts, cars, events, warranties, tasks };
}

async function seed(b: BenchApp): Promise<string[]> {
  const model = (name: string) => b.app.get<Model<Doc>>(getModelToken(name));
  const models = {
    contracts: model(ContractEntity.name),
    cars: model(CarEntity.name),
    events: model(CarEventEntity.name),
    warranties: model(WarrantyEntity.name),
    tasks: model(MaintenanceTaskEntity.name),
  };
  const globalIds = b.app.get(GlobalIdService);
  const perOrg = CONTRACTS + CARS + CARS * EVENTS_PER_CAR + WARRANTIES + TASKS;
  const organizations = [b.user.organizationId];
  const extra = ORGS - 1;
  if (extra > 0) {
    const orgIds = await globalIds.reserveGlobalIds(extra);
    const now = Date.now();
    await insertMany(
      model(OrganizationEntity.name),
      orgIds.map((id, i) => ({
        _id: id,
        name: `Hushåll ${i}`,
        type: 'household',
        createdBy: b.user.id,
        createdAt: new Date(now + i),
      })),
      { ordered: true },
    );
    organizations.push(...orgIds);
  }
  const started = Date.now();
  for (const [n, organizationId] of organizations.entries()) {
    const block = await globalIds.reserveGlobalIds(perOrg);
    let next = 0;
    const docs = household(organizationId, () => block[next++], n + 1);
    for (const key of Object.keys(models) as (keyof typeof models)[]) {
      await insertMany(models[key], docs[key], { ordered: true, lean: true });
    }
    if ((n + 1) % 50 === 0 || n + 1 === organizations.length)
      console.log(
        `  seeded ${n + 1}/${organizations.length} organizations (${Math.round((Date.now() - started) / 1000)} s)`,
      );
  }
  return organizations;
}

async function main(): Promise<void> {
  const b = await startBenchApp('household');
  let failed = false;
  try {
    b.app.get(Clock).travelTo(new Date(`${TODAY}T10:00:00Z`));
    console.log(
      `household: ${ORGS} organizations × (${CONTRACTS} contracts, ${CARS} cars × ${EVENTS_PER_CAR} events, ${WARRANTIES} warranties)`,
    );
    const organizations = await seed(b);
    const org = b.user.organizationId;
    const getJson = b.getJson;
    const db = b.db.db!;
    const live = { organizationId: org, isDeleted: false };

    // 1. Dashboards
    const [firstCar] = await db.collection('cars').find(live).limit(1).toArray();
    const carId = String(firstCar._id);
    const rows: [string, number, number][] = [];
    const contracts = await compare(
      () => getJson('/contracts/stats?months=3'),
      () =>
        db
          .collection('contracts')
          .find({ ...live, $or: [{ endDate: null }, { endDate: { $gte: '2025-12-01' } }] })
          .toArray(),
      RUNS,
    );
    rows.push(['GET /contracts/stats', contracts.a, contracts.b]);
    const cars = await compare(
      () => getJson(`/cars/${carId}/stats`),
      () =>
        Promise.all([
          db
            .collection('car_events')
            .aggregate([
              { $match: { ...live, carId } },
              { $group: { _id: { period: '$period', type: '$type' }, cost: { $sum: '$cost' } } },
            ])
            .toArray(),
          db
            .collection('car_events')
            .find({ ...live, carId })
            .sort({ date: 1, _id: 1 })
            .toArray(),
        ]),
      RUNS,
    );
    rows.push(['GET /cars/:id/stats', cars.a, cars.b]);
    const warranties = await compare(
      () => getJson('/warranties?status=expiring&limit=100'),
      () =>
        db
          .collection('warranties')
          .find({ ...live, endDate: { $gte: TODAY, $lte: addDays(TODAY, 59) } })
          .sort({ endDate: 1, _id: 1 })
          .limit(101)
          .toArray(),
      RUNS,
    );
    rows.push(['GET /warranties?status=expiring', warranties.a, warranties.b]);
    console.log(
      '\n| dashboard | HTTP median | raw query median | ratio | target |\n| --- | --- | --- | --- | --- |',
    );
    for (const [name, http, raw] of rows) {
      const ratio = http / raw;
      if (ratio > DASHBOARD_TARGET) failed = true;
      console.log(
        `| ${name} | ${http.toFixed(1)} ms | ${raw.toFixed(1)} ms | ${ratio.toFixed(2)}× | ≤ ${DASHBOARD_TARGET}× |`,
      );
    }

    // 2. The daily reminder run over every organization
    const raw = await time(async () => {
      for (const organizationId of organizations) {
        const scope = { organizationId, isDeleted: false };
        await Promise.all([
          db
            .collection('contracts')
            .find({ ...scope, $or: [{ endDate: null }, { endDate: { $gte: TODAY } }] })
            .toArray(),
          db
            .collection('warranties')
            .find({ ...scope, endDate: { $gte: TODAY } })
            .toArray(),
          db.collection('cars').find(scope).toArray(),
        ]);
      }
    });
    const queue = new Queue('reminders', {
      connection: { url: b.config.redis.url },
      prefix: `${b.config.redis.prefix}:bull`,
    });
    /** One morning: the scan job, then until the queue is empty; the runs' step medians from their return values. */
    const morning = async (date: string) => {
      await queue.clean(0, 100_000, 'completed');
      b.app.get(Clock).travelTo(new Date(`${date}T05:00:00Z`));
      let scan: DailyScan | null = null;
      const timed = await time(async () => {
        scan = await b.app.get(ReminderJobs).scan({ date });
        for (;;) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          if (Object.values(counts).every((c) => c === 0)) break;
          await sleep(100);
        }
      });
      const steps = new Map<string, number[]>();
      for (const job of await queue.getJobs(['completed'], 0, -1)) {
        const value = job.returnvalue as { ms?: Record<string, number> } | null;
        for (const [step, ms] of Object.entries(value?.ms ?? {}))
          steps.set(step, [...(steps.get(step) ?? []), ms]);
      }
      const perOrg = [...steps].map(([step, values]) => `${step} ${median(values).toFixed(0)}`).join(', ');
      return { ms: timed.ms, scan: scan as unknown as DailyScan, perOrg };
    };
    const build = await morning(TODAY);
    console.log(
      `\nfirst scan (every schedule built by a full run): ${(build.ms / 1000).toFixed(1)} s for ` +
        `${build.scan.full} organizations; per organization, median ms: ${build.perOrg}`,
    );
    const target = (RUN_TARGET_MS_PER_1000 * ORGS) / 1000;
    console.log(
      `\n| morning | organizations run | records checked | time | × raw reads | target |\n| --- | --- | --- | --- | --- | --- |`,
    );
    const mornings: number[] = [];
    const steps: string[] = [];
    for (let d = 1; d <= DAYS; d += 1) {
      const date = addDays(TODAY, d);
      const day = await morning(date);
      mornings.push(day.ms);
      if (day.ms > target) failed = true;
      console.log(
        `| ${date} | ${day.scan.checked + day.scan.full} | ${day.scan.records} | ${(day.ms / 1000).toFixed(1)} s | ` +
          `${(day.ms / raw.ms).toFixed(2)}× | ≤ ${(target / 1000).toFixed(0)} s |`,
      );
      steps.push(`${date}: ${day.perOrg}`);
    }
    console.log(`\nper organization run, median ms:\n${steps.join('\n')}`);
    const failedRuns = await queue.getJobCounts('failed');
    await queue.close();
    if (failedRuns.failed) failed = true;
    const reminders = await db.collection('reminders').countDocuments({});
    const checks = await db.collection('reminder_checks').countDocuments({});
    console.log(
      `\nreminder mornings: ${ORGS} organizations, median ${(median(mornings) / 1000).toFixed(1)} s, ` +
        `max ${(Math.max(...mornings) / 1000).toFixed(1)} s (target ≤ ${(target / 1000).toFixed(0)} s); raw reads of ` +
        `every organization's data ${(raw.ms / 1000).toFixed(1)} s; ${checks} records scheduled, ${reminders} reminders ` +
        `stored, ${failedRuns.failed} failed runs`,
    );
  } finally {
    await b.close();
  }
  if (failed) {
    console.log('\nA target was missed.');
    process.exitCode = 1;
  }
}

run(main);
