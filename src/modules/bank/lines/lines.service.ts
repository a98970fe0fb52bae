import { Injectable } from '@nestjs/common';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { BankError } from '../bank.errors';
import { BankLinesRepository, type LineListFilter } from '../bank.repositories';
import { MatchingService } from '../matching/matching.service';
import type { Suggestion } from '../matching/types';
import { lineView, type LineView } from './line-view';

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
    if (!line) throw new BankError('NOT_FOUND');
    return lineView(line);
  }

  async suggestions(id: string): Promise<Suggestion[]> {
    const line = await this.lines.findById(id);
    if (!line) throw new BankError('NOT_FOUND');
    return (await this.matching.suggestionsFor(line)).suggestions;
  }
}
