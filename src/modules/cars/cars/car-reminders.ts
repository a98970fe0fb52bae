import { Injectable, OnModuleInit } from '@nestjs/common';
import { addDays, addMonthsToDate, daysBetween } from '../../../common/dates';
import {
  DEFAULT_LEAD_DAYS,
  DEFAULT_LEAD_KM,
  dailyDistance,
  type ReminderOccasion,
  type ReminderSource,
  type Trigger,
} from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { KM_PER } from '../common/car-kinds';
import { CARS_RECORD_TYPES } from '../cars.records';
import { CarEventsRepository } from '../events/events.repository';
import { CarsRepository } from './cars.repository';
import type { CarDoc, CarReminderBasis } from './cars.schema';

/**
 * The cars' occasions for the reminder engine: inspection (besiktning), vehicle tax and insurance renewal on their
 * days, and the next service by date and/or distance from the last service event (or the purchase), "whichever
 * comes first" or "later" as the car says. Distance leads in the car's reminderLeadKm (default 1 000 km). The
 * service counts from the car's `reminderBasis`, derived from its events when they (or the car) change; a change
 * of an event refreshes its car.
 */
@Injectable()
export class CarReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['car.service', 'car.inspection', 'car.tax', 'car.insurance'] as const;
  readonly sourceType = CARS_RECORD_TYPES.car;
  readonly relatedTypes = [CARS_RECORD_TYPES.event];

  constructor(
    private readonly sources: ReminderSources,
    private readonly cars: CarsRepository,
    private readonly events: CarEventsRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async sourceIdsOf(_type: string, eventId: string): Promise<string[]> {
    const event = await this.events.findById(eventId, { withDeleted: true });
    return event ? [event.carId] : [];
  }

  async occasions(today: string, ids?: readonly string[], changed = false): Promise<ReminderOccasion[]> {
    const out: ReminderOccasion[] = [];
    for (const car of await this.cars.all(ids)) {
      const leadDays = car.reminderLeadDays ?? DEFAULT_LEAD_DAYS;
      const base = { sourceType: CARS_RECORD_TYPES.car, sourceId: car._id, currency: car.currency };
      const dated = (kind: ReminderOccasion['kind'], due: string | null, sv: string, en: string) => {
        if (due)
          out.push({
            ...base,
            kind,
            title: { sv: `${sv} ${due}`, en: `${en} ${due}` },
            trigger: { date: { dueDate: due, leadDays } },
          });
      };
      const plate = car.registration;
      dated(
        'car.inspection',
        car.inspectionDue,
        `Besiktning av ${plate} senast`,
        `Inspection of ${plate} due`,
      );
      dated('car.tax', car.taxDue, `Fordonsskatt för ${plate} förfaller`, `Vehicle tax for ${plate} due`);
      dated(
        'car.insurance',
        car.insuranceRenewal,
        `Bilförsäkringen för ${plate} förnyas`,
        `Car insurance for ${plate} renews`,
      );
      if (!car.serviceIntervalKm && !car.serviceIntervalMonths) continue;
      const basis = changed || !car.reminderBasis ? await this.deriveBasis(car, today) : car.reminderBasis;
      const service = this.service(car, basis, today);
      if (service) out.push({ ...base, ...service });
    }
    return out;
  }

  /** Reads the car's last service and last year's readings once, and keeps the result on the car. */
  private async deriveBasis(car: CarDoc, today: string): Promise<CarReminderBasis> {
    const [last, readings] = await Promise.all([
      this.events.latest(car._id, 'service'),
      this.events.readingsSince(car._id, addDays(today, -400)),
    ]);
    const first = last ? null : await this.events.firstReading(car._id);
    const latest = readings[readings.length - 1] ?? null;
    const basis: CarReminderBasis = {
      fromDate: last?.date ?? car.purchaseDate ?? first?.date ?? null,
      fromKm: last?.odometerKm ?? first?.odometerKm ?? null,
      latestDate: latest?.date ?? null,
      latestKm: latest?.odometer ?? null,
      perDayKm: dailyDistance(readings),
    };
    await this.cars.setReminderBasis(car._id, basis);
    return basis;
  }

  private service(
    car: CarDoc,
    basis: CarReminderBasis,
    today: string,
  ): Omit<ReminderOccasion, 'sourceType' | 'sourceId'> | null {
    const trigger: { -readonly [K in keyof Trigger]: Trigger[K] } = { combine: car.serviceCombine };
    if (car.serviceIntervalMonths && basis.fromDate)
      trigger.date = {
        dueDate: addMonthsToDate(basis.fromDate, car.serviceIntervalMonths),
        leadDays: car.reminderLeadDays ?? DEFAULT_LEAD_DAYS,
      };
    if (car.serviceIntervalKm && basis.fromKm !== null)
      trigger.distance = {
        dueOdometer: basis.fromKm + car.serviceIntervalKm,
        leadKm: car.reminderLeadKm ?? DEFAULT_LEAD_KM,
      };
    if (!trigger.date && !trigger.distance) return null;
    const unit = car.odometerUnit;
    const due = [
      trigger.date ? trigger.date.dueDate : null,
      trigger.distance ? `${Math.round(trigger.distance.dueOdometer / KM_PER[unit])} ${unit}` : null,
    ].filter(Boolean);
    const joinSv = car.serviceCombine === 'later' ? ' och ' : ' eller ';
    const joinEn = car.serviceCombine === 'later' ? ' and ' : ' or ';
    const odometer =
      basis.latestDate === null || basis.latestKm === null
        ? null
        : Math.round(basis.latestKm + basis.perDayKm * Math.max(0, daysBetween(basis.latestDate, today)));
    return {
      kind: 'car.service',
      title: {
        sv: `Service av ${car.registration}: ${due.join(joinSv)}`,
        en: `Service of ${car.registration}: ${due.join(joinEn)}`,
      },
      trigger,
      odometer,
      odometerPerDay: basis.perDayKm,
    };
  }
}
