import { Injectable } from '@nestjs/common';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { BankLinesRepository, type LineListFilter } from './lines.repository';
import { MatchingService } from '../matching/matching.service';
import type { Suggestion } from '../matching/types';
import { lineView, type LineView } from './line-view';
import { notFound } from '../../../common/errors/domain-error';

/** Reading bank lines and their fresh suggestions. */
@Injectable()
export class LinesService {
  constructor(
    private readonly lines: BankLinesRepository,
    private readonly matching: MatchingService,
  ) {}

  async list(filter: LineListFilter, cursor: string | undefined, limit: number): Promise<Page<LineView>> {
    const page = await this.lines.list(filter, BankLinesRepository.parseCursor(cursor), limit);
    return { items: page.items.map(lineView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<LineView> {
    const line = await this.lines.findById(id);
    if (!line) throw notFound('bank_line');
    return lineView(line);
  }

  async suggestions(id: string): Promise<Suggestion[]> {
    const line = await this.lines.findById(id);
    if (!line) throw notFound('bank_line');
    return (await this.matching.suggestionsFor(line)).suggestions;
  }
}
