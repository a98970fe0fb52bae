import { Injectable } from '@nestjs/common';
import { stockholmDate } from '../../../common/dates';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { Clock } from '../../../infrastructure/clock/clock';
import { estimateOdometer } from '../../reminders/reminders.contract';
import type { CarCostForReport, CarCostsForReports } from '../cars.contract';
import { CarsRepository } from '../cars/cars.repository';
import { CarsService } from '../cars/cars.service';
import { formatRegistration } from '../common/registration';
import { inCarUnit, type CarEventType, type QuantityUnit } from '../common/car-kinds';
import { consumptionPer100Km } from '../common/odometer';
import { CarEventsRepository } from '../events/events.repository';

export interface CarStats {
  carId: string;
  currency: string;
  /** Every event's cost (öre). */
  runningCost: number;
  purchasePrice: number | null;
  /** Purchase price plus running costs. */
  totalCostOfOwnership: number;
  /** Between the lowest and the highest reading, in the car's unit. */
  distance: number;
  /** Running cost per km (öre), null without distance. */
  costPerKm: number | null;
  odometer: { latest: number | null; estimatedToday: number | null; unit: string };
  perYear: { year: string; cost: number }[];
  perMonth: { period: string; cost: number }[];
  byType: { type: CarEventType; cost: number; count: number }[];
  /** Full tank to full tank, per fuel and unit (l/100 km, kWh/100 km). */
  consumption: {
    fuelType: string | null;
    unit: QuantityUnit;
    per100Km: number;
    quantity: number;
    km: number;
  }[];
  stations: {
    station: string;
    fills: number;
    quantity: number;
    unit: QuantityUnit;
    cost: number;
    pricePerUnit: number;
  }[];
}

const add = <K>(map: Map<K, number>, key: K, value: number) => map.set(key, (map.get(key) ?? 0) + value);

/** A car's dashboard: costs summed by the database per month and type, fuel figures from its fills. */
@Injectable()
export class CarStatsService implements CarCostsForReports {
  constructor(
    private readonly cars: CarsService,
    private readonly events: CarEventsRepository,
    private readonly carRecords: CarsRepository,
    private readonly clock: Clock,
    private readonly cache: CacheService,
  ) {}

  /** Cached per organization, car and date until a car or car event of the organization changes (docs/cache.md). */
  stats(carId: string): Promise<CarStats> {
    const today = stockholmDate(this.clock.now());
    return this.cache.tenant('cars.stats', ['cars', 'car_events'], [carId, today], () =>
      this.computeStats(carId, today),
    );
  }

  private async computeStats(carId: string, today: string): Promise<CarStats> {
    const car = await this.cars.require(carId);
    const [groups, facts] = await Promise.all([
      this.events.costByPeriodAndType(carId),
      this.events.facts(carId),
    ]);
    const perMonth = new Map<string, number>();
    const perYear = new Map<string, number>();
    const byType = new Map<CarEventType, { cost: number; count: number }>();
    let runningCost = 0;
    for (const g of groups) {
      const period = g._id.period ?? '';
      const type = (g._id.type ?? 'other') as CarEventType;
      runningCost += g.cost;
      add(perMonth, period, g.cost);
      add(perYear, period.slice(0, 4), g.cost);
      const t = byType.get(type) ?? { cost: 0, count: 0 };
      byType.set(type, { cost: t.cost + g.cost, count: t.count + g.count });
    }

    const readings = facts.flatMap((e) =>
      e.odometerKm !== null ? [{ date: e.date, odometer: e.odometerKm }] : [],
    );
    const kms = readings.map((r) => r.odometer);
    const distanceKm = kms.length ? Math.max(...kms) - Math.min(...kms) : 0;
    const inUnit = (km: number | null) => inCarUnit(car.odometerUnit, km);

    const fills = facts.filter((e) => e.type === 'fuel' && e.quantity !== null && e.quantityUnit !== null);
    const byFuel = new Map<string, typeof fills>();
    for (const f of fills)
      byFuel.set(`${f.fuelType ?? ''}|${f.quantityUnit}`, [
        ...(byFuel.get(`${f.fuelType ?? ''}|${f.quantityUnit}`) ?? []),
        f,
      ]);
    const consumption: CarStats['consumption'] = [];
    for (const [key, group] of byFuel) {
      const [fuelType, unit] = key.split('|') as [string, QuantityUnit];
      const result = consumptionPer100Km(
        group.flatMap((f) =>
          f.odometerKm !== null
            ? [{ date: f.date, odometer: f.odometerKm, quantity: f.quantity!, fullTank: f.fullTank }]
            : [],
        ),
      );
      if (result) consumption.push({ fuelType: fuelType || null, unit, ...result });
    }
    const stations = new Map<string, CarStats['stations'][number]>();
    for (const f of fills) {
      if (!f.station) continue;
      const key = `${f.station}|${f.quantityUnit}`;
      const s = stations.get(key) ?? {
        station: f.station,
        fills: 0,
        quantity: 0,
        unit: f.quantityUnit!,
        cost: 0,
        pricePerUnit: 0,
      };
      s.fills += 1;
      s.quantity += f.quantity!;
      s.cost += f.cost;
      stations.set(key, s);
    }
    for (const s of stations.values()) s.pricePerUnit = s.quantity > 0 ? Math.round(s.cost / s.quantity) : 0;

    const latest = readings.length ? readings[readings.length - 1].odometer : null;
    return {
      carId,
      currency: car.currency,
      runningCost,
      purchasePrice: car.purchasePrice,
      totalCostOfOwnership: runningCost + (car.purchasePrice ?? 0),
      distance: inUnit(distanceKm) ?? 0,
      costPerKm: distanceKm > 0 ? Math.round(runningCost / distanceKm) : null,
      odometer: {
        latest: inUnit(latest),
        estimatedToday: inUnit(estimateOdometer(readings, today)),
        unit: car.odometerUnit,
      },
      perYear: [...perYear].sort().map(([year, cost]) => ({ year, cost })),
      perMonth: [...perMonth].sort().map(([period, cost]) => ({ period, cost })),
      byType: [...byType].map(([type, v]) => ({ type, ...v })).sort((a, b) => b.cost - a.cost),
      consumption,
      stations: [...stations.values()].sort((a, b) => b.fills - a.fills),
    };
  }

  async reportCosts(from: string, to: string): Promise<CarCostForReport[]> {
    const [groups, cars] = await Promise.all([this.events.costByCarAndType(from, to), this.carRecords.all()]);
    const out = new Map<string, CarCostForReport>();
    for (const car of cars)
      out.set(car._id, {
        carId: car._id,
        name: car.name,
        registrationDisplay: formatRegistration(car.registration, car.personalPlate),
        total: 0,
        byType: [],
      });
    for (const g of groups) {
      const car = g._id.carId ? out.get(g._id.carId) : undefined;
      if (!car || !g.cost) continue;
      car.total += g.cost;
      car.byType.push({ type: g._id.type ?? 'other', cost: g.cost });
    }
    return [...out.values()]
      .filter((c) => c.total > 0)
      .map((c) => ({ ...c, byType: c.byType.sort((a, b) => b.cost - a.cost) }))
      .sort((a, b) => b.total - a.total);
  }
}
