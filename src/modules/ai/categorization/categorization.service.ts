import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import {
  CATEGORIES,
  SUPPLIERS,
  TRANSACTIONS,
  type CategoriesForCategorization,
  type SuppliersForMatching,
  type TransactionsForCategorization,
} from './economy.ports';
import { CategorizationModel, type Kind, type ModelCategory, type Prediction } from './model';

/** The newest categorized transactions an organization's model learns from. */
export const TRAINING_LIMIT = 20_000;
/** Organizations whose built model a process keeps. */
const MODELS_KEPT = 200;

export interface CategorizeInput {
  supplier?: string;
  supplierId?: string;
  text: string;
  amount: number;
  date?: string;
  direction: Kind;
}

export interface CategorizeResult {
  merchant: { key: string; name: string; known: boolean; channel: string | null };
  categories: {
    categoryId: string;
    name: string;
    confidence: number;
    reasons: { sv: string; en: string }[];
  }[];
}

interface TrainingRow {
  /** description */
  d: string;
  /** supplierId */
  s: string | null;
  /** categoryId */
  c: string;
  /** amount (öre) */
  a: number;
  /** 1: income */
  i: 0 | 1;
}

interface Kept {
  rows: TrainingRow[];
  signature: string;
  model: CategorizationModel;
}

/**
 * Categorizes payments with the organization's model (model.ts). The model's state is not stored: it is built from
 * the organization's newest categorized transactions (≤ TRAINING_LIMIT), its categories and suppliers. The training
 * rows are read through the cache (`ai.categorization-training`, reads `transactions`): every transaction write
 * bumps the generation, so a correction is in the next answer; in between, the rows come from Redis or the process's
 * near copy, and the built model is kept per organization while its rows (same object from the near copy),
 * categories and supplier names are unchanged.
 */
@Injectable()
export class CategorizationService {
  private readonly kept = new Map<string, Kept>();

  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionsForCategorization,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(CATEGORIES) private readonly categories: CategoriesForCategorization,
    private readonly cache: CacheService,
    private readonly context: RequestContext,
  ) {}

  /** One result per input, in order. A supplierId that names no live supplier of the organization → 404. */
  async categorize(inputs: CategorizeInput[]): Promise<CategorizeResult[]> {
    const { model, suppliers } = await this.model();
    for (const input of inputs) {
      if (input.supplierId && !suppliers.has(input.supplierId)) throw notFound('supplier');
    }
    return inputs.map((input) => {
      const supplier = input.supplierId ? suppliers.get(input.supplierId) : undefined;
      return resultOf(
        model.predict({
          text: input.text,
          supplierId: input.supplierId ?? null,
          supplierName: input.supplier ?? supplier?.name ?? null,
          amount: input.amount,
          type: input.direction,
          supplierDefaultCategoryId: supplier?.defaultCategoryId ?? null,
        }),
      );
    });
  }

  /** Predictions for stored transactions (the automatic categorization of new ones). */
  async predictTransactions(
    items: { description: string; supplierId: string | null; amount: number; type: Kind }[],
  ): Promise<Prediction[]> {
    const { model, suppliers } = await this.model();
    return items.map((t) => {
      const supplier = t.supplierId ? suppliers.get(t.supplierId) : undefined;
      return model.predict({
        text: t.description,
        supplierId: t.supplierId,
        supplierName: supplier?.name ?? null,
        amount: t.amount,
        type: t.type,
        supplierDefaultCategoryId: supplier?.defaultCategoryId ?? null,
      });
    });
  }

  private async model() {
    const organizationId = this.context.requireTenant().organizationId;
    const [rows, categoryMap, supplierList] = await Promise.all([
      this.cache.tenant('ai.categorization-training', ['transactions'], [TRAINING_LIMIT], async () =>
        (await this.transactions.categorizedForTraining(TRAINING_LIMIT)).flatMap((t): TrainingRow[] =>
          t.categoryId
            ? [
                {
                  d: t.description,
                  s: t.supplierId,
                  c: t.categoryId,
                  a: t.amount,
                  i: t.type === 'income' ? 1 : 0,
                },
              ]
            : [],
        ),
      ),
      this.categories.liveMap(),
      this.suppliers.listForMatching(),
    ]);
    const suppliers = new Map(supplierList.map((s) => [s.id, s]));
    const categories: ModelCategory[] = [...categoryMap.values()].map((c) => ({
      id: c._id,
      name: c.name,
      kind: c.kind,
      parentId: c.parentId,
      defaultKey: c.defaultKey,
    }));
    const signature = JSON.stringify([
      categories.map((c) => [c.id, c.name, c.kind, c.parentId, c.defaultKey]),
      supplierList.map((s) => [s.id, s.name]),
    ]);
    const kept = this.kept.get(organizationId);
    if (kept && kept.rows === rows && kept.signature === signature) return { model: kept.model, suppliers };
    const model = new CategorizationModel(
      categories,
      rows.map((r) => ({
        text: r.d,
        supplierId: r.s,
        supplierName: r.s ? (suppliers.get(r.s)?.name ?? null) : null,
        amount: r.a,
        type: r.i ? 'income' : 'expense',
        categoryId: r.c,
      })),
    );
    this.kept.delete(organizationId);
    this.kept.set(organizationId, { rows, signature, model });
    if (this.kept.size > MODELS_KEPT) this.kept.delete(this.kept.keys().next().value as string);
    return { model, suppliers };
  }
}

export const resultOf = (p: Prediction): CategorizeResult => ({
  merchant: {
    key: p.merchant.key,
    name: p.merchant.name,
    known: p.merchant.known,
    channel: p.merchant.channel,
  },
  categories: p.ranked.map((r) => ({
    categoryId: r.categoryId,
    name: r.name,
    confidence: r.confidence,
    reasons: r.reasons,
  })),
});
