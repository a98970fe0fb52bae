import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { formatGlobalId, parseGlobalId } from '../../../infrastructure/mongo/global-id';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditAction } from '../../audit/audit-action';
import { AuditListeners, type AuditEntry, type AuditListener } from '../../audit/audit-listeners';
import { AiSuggestionsRepository } from './categorization.repository';
import type { AiSuggestionDoc, SuggestionSubject } from './categorization.schema';
import { CategorizationService } from './categorization.service';
import { BANK_LINES, type BankLinesForCategorization } from './bank.ports';
import { TRANSACTIONS, type TransactionsForCategorization } from './economy.ports';
import type { Prediction } from './model';
import { AiSettingsService } from './settings.service';

/** The ids of a block `transaction.bulk_created` names (`firstId`, `count`: one consecutive block). */
export function blockIds(firstId: unknown, count: unknown): string[] {
  if (typeof firstId !== 'string' || typeof count !== 'number' || count < 1 || count > 1000) return [];
  const prefix = /^[A-Z]{1,3}/.exec(firstId)?.[0];
  const start = prefix ? parseGlobalId(prefix, firstId) : null;
  if (!prefix || start === null) return [];
  return Array.from({ length: count }, (_, i) => formatGlobalId(prefix, start + i));
}

/** Lines of one import categorized (an import is at most a few thousand lines). */
const MAX_IMPORT_LINES = 10_000;

export interface SuggestionView {
  id: string;
  subject: SuggestionSubject;
  applied: boolean;
  threshold: number;
  merchant: { key: string; name: string };
  categories: { categoryId: string; confidence: number; reasons: { sv: string; en: string }[] }[];
  createdAt: Date;
}

const view = (s: AiSuggestionDoc): SuggestionView => ({
  id: s._id,
  subject: s.subject,
  applied: s.applied,
  threshold: s.threshold,
  merchant: s.merchant,
  categories: s.ranked,
  createdAt: s.createdAt,
});

/** At or above the organization's threshold, with automatic application on: the top category may be applied. */
const isSure = (settings: { autoApply: boolean; threshold: number }, p: Prediction) =>
  settings.autoApply && p.ranked.length > 0 && p.ranked[0].confidence >= settings.threshold;

/** The stored ranking of one record. */
const suggestionOf = (
  id: string,
  subject: SuggestionSubject,
  applied: boolean,
  threshold: number,
  p: Prediction,
) => ({
  _id: id,
  subject,
  applied,
  threshold,
  merchant: { key: p.merchant.key, name: p.merchant.name },
  ranked: p.ranked.map((r) => ({ categoryId: r.categoryId, confidence: r.confidence, reasons: r.reasons })),
});

/**
 * Categorizes transactions as they are created (one through the API, a bulk, an import through the bulk route):
 * an `AuditListener` on `transaction.created` / `transaction.bulk_created` (docs/modules.md §9), so the economy module
 * knows nothing of it. The listener only queues a job (`ai-categorization.categorize`, categorization.jobs.ts): the
 * request does not wait for the model. Transactions that already have a category (set by the person, by the supplier's default, or
 * a bank booking) are left alone. For the others: at or above the organization's threshold (and automatic
 * application on) the top category is set (`transaction.auto_categorized`, no actor: the system did it); below it
 * the ranking is kept as a suggestion (`GET /ai/suggestions`). A failure is logged and the change stands: the
 * transaction stays uncategorized, as it was sent. Bank imports (`bank.import_completed`): see categorizeImport.
 */
@Injectable()
export class AutoCategorizeService implements AuditListener, OnModuleInit {
  private readonly logger = new Logger(AutoCategorizeService.name);

  constructor(
    private readonly listeners: AuditListeners,
    private readonly context: RequestContext,
    private readonly jobs: JobQueue,
    private readonly categorization: CategorizationService,
    private readonly settings: AiSettingsService,
    private readonly suggestions: AiSuggestionsRepository,
    @Inject(TRANSACTIONS) private readonly transactions: TransactionsForCategorization,
    @Inject(BANK_LINES) private readonly bankLines: BankLinesForCategorization,
  ) {}

  onModuleInit(): void {
    this.listeners.register('ai.categorization', this);
  }

  async onAudit(entry: AuditEntry): Promise<void> {
    if (entry.action === AuditAction.BankImportCompleted) {
      const { organizationId, targetId } = entry;
      if (!organizationId || !targetId) return;
      await this.context.runAsSystem({ organizationId }, () => this.categorizeImport(targetId));
      return;
    }
    let ids: string[];
    if (entry.action === AuditAction.TransactionCreated) {
      if (entry.metadata?.source === 'bank' || !entry.targetId) return; // a booking: a person chose its category
      ids = [entry.targetId];
    } else if (entry.action === AuditAction.TransactionsBulkCreated) {
      ids = blockIds(entry.metadata?.firstId, entry.metadata?.count);
    } else {
      return;
    }
    const organizationId = entry.organizationId;
    if (!ids.length || !organizationId) return;
    // after the response: the model may have to re-read the organization's bookings (≈ 1 s at 5 000 on FerretDB)
    const name = JobName.AiCategorize;
    await this.jobs.add(
      name,
      { organizationId, transactionIds: ids },
      { jobId: jobIdFor(name, `${organizationId}-${ids[0]}-${ids.length}`) },
    );
  }

  /** Categorizes the uncategorized ones among `ids` (see the class comment). */
  async categorizeTransactions(ids: string[]): Promise<{ applied: number; suggested: number }> {
    const open = (await this.transactions.forCategorization(ids)).filter((t) => t.categoryId === null);
    if (!open.length) return { applied: 0, suggested: 0 };
    const [settings, predictions] = await Promise.all([
      this.settings.current(),
      this.categorization.predictTransactions(open),
    ]);
    const assignments = open.flatMap((t, i) =>
      isSure(settings, predictions[i]) ? [{ id: t.id, categoryId: predictions[i].ranked[0].categoryId }] : [],
    );
    const applied = new Set(
      assignments.length
        ? await this.transactions.applyCategories(assignments, {
            source: 'ai',
            threshold: settings.threshold,
          })
        : [],
    );
    await this.suggestions.addSuggestions(
      open.map((t, i) =>
        suggestionOf(t.id, 'transaction', applied.has(t.id), settings.threshold, predictions[i]),
      ),
    );
    this.logger.debug({ applied: applied.size, suggested: open.length - applied.size }, 'auto-categorized');
    return { applied: applied.size, suggested: open.length - applied.size };
  }

  /**
   * The open lines of a bank import: each gets its ranking stored (subject `bank_line`); `applied` marks those at or
   * above the threshold (automatic application on), whose top category the booking of the line may take without
   * asking — the booking itself stays an explicit OK (bank.md: every booking is approved during learning).
   */
  async categorizeImport(importId: string): Promise<{ applied: number; suggested: number }> {
    const lines = await this.bankLines.openLinesOfImport(importId, MAX_IMPORT_LINES);
    if (!lines.length) return { applied: 0, suggested: 0 };
    const [settings, predictions] = await Promise.all([
      this.settings.current(),
      this.categorization.predictTransactions(
        lines.map((l) => ({
          description: [l.counterpartyName, l.text].filter(Boolean).join(' '),
          supplierId: null,
          amount: Math.abs(l.amount),
          type: l.amount > 0 ? 'income' : 'expense',
        })),
      ),
    ]);
    let applied = 0;
    await this.suggestions.addSuggestions(
      lines.map((l, i) => {
        const sure = isSure(settings, predictions[i]);
        if (sure) applied++;
        return suggestionOf(l.id, 'bank_line', sure, settings.threshold, predictions[i]);
      }),
    );
    return { applied, suggested: lines.length - applied };
  }

  /** Stored categorizations of these records (missing ones: none was made, or another organization's). */
  async suggestionsFor(ids: string[], subject: SuggestionSubject): Promise<SuggestionView[]> {
    const found = (await this.suggestions.byIds(ids)).filter((s) => s.subject === subject);
    const order = new Map(ids.map((id, i) => [id, i]));
    return found.map(view).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
}
