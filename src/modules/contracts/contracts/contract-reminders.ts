import { Injectable, OnModuleInit } from '@nestjs/common';
import { formatMoney } from '../../../common/money';
import {
  DEFAULT_LEAD_DAYS,
  type ReminderOccasion,
  type ReminderSource,
} from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { cancellationOutlook } from '../common/schedule';
import { CONTRACTS_RECORD_TYPES } from '../contracts.records';
import { ContractsRepository } from './contracts.repository';
import { termsOf } from './contracts.service';

/**
 * The contracts' occasions for the reminder engine: the last day to cancel and the renewal of every running
 * contract without notice, and every coming price step. Lead times: the contract's `reminderLeadDays`, else 30
 * and 7 days.
 */
@Injectable()
export class ContractReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['contract.cancel', 'contract.renewal', 'contract.price'] as const;
  readonly sourceType = CONTRACTS_RECORD_TYPES.contract;

  constructor(
    private readonly sources: ReminderSources,
    private readonly contracts: ContractsRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async occasions(today: string, ids?: readonly string[]): Promise<ReminderOccasion[]> {
    const out: ReminderOccasion[] = [];
    for (const c of await this.contracts.runningFrom(today, ids)) {
      const leadDays = c.reminderLeadDays ?? DEFAULT_LEAD_DAYS;
      const base = { sourceType: CONTRACTS_RECORD_TYPES.contract, sourceId: c._id, currency: c.currency };
      if (!c.endDate) {
        const outlook = cancellationOutlook(termsOf(c), today);
        if (outlook.lastDayToCancel) {
          out.push({
            ...base,
            kind: 'contract.cancel',
            title: {
              sv: `Sista dag att säga upp ${c.name}: ${outlook.lastDayToCancel}`,
              en: `Last day to cancel ${c.name}: ${outlook.lastDayToCancel}`,
            },
            trigger: { date: { dueDate: outlook.lastDayToCancel, leadDays } },
          });
        }
        if (outlook.renewsOn) {
          out.push({
            ...base,
            kind: 'contract.renewal',
            title: {
              sv: `${c.name} förnyas ${outlook.renewsOn}`,
              en: `${c.name} renews on ${outlook.renewsOn}`,
            },
            trigger: { date: { dueDate: outlook.renewsOn, leadDays } },
          });
        }
      }
      for (const step of c.prices) {
        if (step.from <= today || (c.endDate && step.from > c.endDate)) continue;
        const price = (locale: 'sv' | 'en') => formatMoney(step.amount, { currency: c.currency, locale });
        out.push({
          ...base,
          kind: 'contract.price',
          title: {
            sv: `Nytt pris för ${c.name} från ${step.from}: ${price('sv')}`,
            en: `New price for ${c.name} from ${step.from}: ${price('en')}`,
          },
          trigger: { date: { dueDate: step.from, leadDays } },
          amount: step.amount,
        });
      }
    }
    return out;
  }
}
