import { Injectable } from '@nestjs/common';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { BankLinesRepository, type LineListFilter } from './lines.repository';
import { ContractHintsService } from '../matching/contract-hints.service';
import { MatchingGenerationService } from '../matching/generation.service';
import type { Suggestion } from '../matching/types';
import { isStale, lineView, suggestionFromStored, type LineView } from './line-view';
import { notFound } from '../../../common/errors/domain-error';
import type { BankLineForCategorization, BankLinesForCategorization } from '../bank.contract';

/**
 * Reading bank lines and their stored suggestions (reads only). A line's contract hint is computed when the line
 * or the list is read (`ContractHintsService`); the suggestions route stays two `_id` reads.
 */
@Injectable()
export class LinesService implements BankLinesForCategorization {
  constructor(
    private readonly lines: BankLinesRepository,
    private readonly generation: MatchingGenerationService,
    private readonly contractHints: ContractHintsService,
  ) {}

  async list(filter: LineListFilter, cursor: string | undefined, limit: number): Promise<Page<LineView>> {
    const [page, generation] = await Promise.all([
      this.lines.list(filter, BankLinesRepository.parseCursor(cursor), limit),
      this.generation.current(),
    ]);
    const hints = await this.contractHints.hintsFor(page.items);
    return {
      items: page.items.map((l) => lineView(l, generation, hints.get(l._id) ?? null)),
      nextCursor: page.nextCursor,
    };
  }

  /** BankLinesForCategorization (AI categorization of an import's lines). */
  async openLinesOfImport(importId: string, limit: number): Promise<BankLineForCategorization[]> {
    const rows = await this.lines.openLines({ importId, limit });
    return rows.map((l) => ({
      id: l._id,
      bookingDate: l.bookingDate,
      amount: l.amount,
      text: l.text,
      counterpartyName: l.counterpartyName,
    }));
  }

  async get(id: string): Promise<LineView> {
    const [line, generation] = await Promise.all([this.lines.findById(id), this.generation.current()]);
    if (!line) throw notFound('bank_line');
    return lineView(line, generation, await this.contractHints.hintFor(line));
  }

  /**
   * The line's stored suggestions — two reads (the line, the organization's matching generation), no writes. They
   * are `stale` when an open line was computed at another generation than the current one (something matching
   * reads changed since, or the line was reopened); the rematch job queued by that change recomputes them.
   */
  async suggestions(id: string): Promise<{ suggestions: Suggestion[]; stale: boolean }> {
    const [line, generation] = await Promise.all([this.lines.findById(id), this.generation.current()]);
    if (!line) throw notFound('bank_line');
    return {
      suggestions: (line.suggestions ?? []).map(suggestionFromStored),
      stale: isStale(line, generation),
    };
  }
}
