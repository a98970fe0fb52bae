import { Injectable } from '@nestjs/common';
import { stockholmDate } from '../../../common/dates';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { Clock } from '../../../infrastructure/clock/clock';
import { composeForecast, type ForecastResult } from './forecast.compose';
import { addMonths } from './forecast.model';
import { INSIGHTS_CURRENCY, InsightsDataService } from './insights-data.service';

/** How far back the forecast reads history (months before the current one). */
export const FORECAST_HISTORY_MONTHS = 36;

export interface ForecastQuery {
  months: number;
  /** Only these categories (`none`: uncategorized). */
  categoryIds?: string[];
}

export type ForecastView = ForecastResult & { today: string; currency: string };

/**
 * `GET /ai/forecast`: gathers the organization's history, contracts and open bills and hands them to the pure
 * forecast (`forecast.compose.ts`, the code `bench/ai-forecast.ts` backtests).
 */
@Injectable()
export class ForecastService {
  constructor(
    private readonly data: InsightsDataService,
    private readonly clock: Clock,
    private readonly cache: CacheService,
  ) {}

  /**
   * Cached per organization, day, months and categories until a transaction, bill, contract, contract payment or
   * category of the organization changes (docs/cache.md): the history read is the expensive part.
   */
  forecast(query: ForecastQuery): Promise<ForecastView> {
    const today = stockholmDate(this.clock.now());
    return this.cache.tenant(
      'ai.forecast',
      ['transactions', 'bills', 'contracts', 'contract_payments', 'categories', 'suppliers'],
      [today, query.months, (query.categoryIds ?? []).join(',')],
      () => this.compute(query, today),
    );
  }

  private async compute(query: ForecastQuery, today: string): Promise<ForecastView> {
    const current = today.slice(0, 7);
    const historyFrom = `${addMonths(current, -FORECAST_HISTORY_MONTHS)}-01`;
    const horizonEnd = `${addMonths(current, query.months)}-01`;
    const [history, contracts, bills, labels] = await Promise.all([
      this.data.expenses(historyFrom, today),
      this.data.contractsBetween(historyFrom, horizonEnd),
      this.data.billsBetween(`${current}-01`, horizonEnd),
      this.data.categoryNames(),
    ]);
    const result = composeForecast({
      today,
      months: query.months,
      history,
      contracts,
      bills: bills
        .filter((b) => b.status === 'open')
        .map((b) => ({
          id: b.id,
          supplierName: b.supplierName,
          categoryId: b.categoryId,
          dueDate: b.dueDate,
          amount: b.amount,
        })),
      categoryIds: query.categoryIds,
      labels,
      historyMonths: FORECAST_HISTORY_MONTHS,
    });
    return { today, currency: INSIGHTS_CURRENCY, ...result };
  }
}
