import { Inject, Injectable } from '@nestjs/common';
import { CONTRACT_PAYMENTS, type ContractPaymentsForBank } from '../contracts.ports';
import { SUPPLIERS, type SuppliersForMatching } from '../economy.ports';
import type { BankLineDoc } from '../lines/lines.schema';
import { OPEN_LINE_STATUSES } from '../lines/line-status';
import {
  contractHint,
  hintDays,
  resemblingProviders,
  type ContractHint,
  type HintLine,
  type HintProvider,
} from './contract-hint';

const hintLine = (line: BankLineDoc): HintLine => ({
  date: line.bookingDate,
  amount: line.amount,
  currency: line.currency,
  counterpartyName: line.counterpartyName,
  text: line.text,
});

/**
 * Contract hints of open bank lines (docs/bank.md "Contract payments"), computed when read from the line and the
 * organization's contracts: two reads for any number of lines (the suppliers; the contracts of the providers the
 * lines resemble, with their payment days near the lines' dates). Never stored, so never stale; never part of the
 * matching engine's scoring.
 */
@Injectable()
export class ContractHintsService {
  constructor(
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(CONTRACT_PAYMENTS) private readonly contracts: ContractPaymentsForBank,
  ) {}

  /** The hint of each open money-out line that has one, by line id. */
  async hintsFor(lines: readonly BankLineDoc[]): Promise<Map<string, ContractHint>> {
    const out = new Map<string, ContractHint>();
    const open = lines.filter((l) => l.amount < 0 && OPEN_LINE_STATUSES.includes(l.status));
    if (!open.length) return out;
    const suppliers = await this.suppliers.listForMatching();
    const providers = new Map<string, HintProvider>(suppliers.map((s) => [s.id, s]));
    const wanted = new Set<string>();
    let from = '9999-12-31';
    let to = '0000-01-01';
    const candidates: { line: BankLineDoc; ids: Set<string> }[] = [];
    for (const line of open) {
      const ids = new Set(resemblingProviders(hintLine(line), suppliers).keys());
      if (!ids.size) continue;
      ids.forEach((id) => wanted.add(id));
      const days = hintDays(line.bookingDate);
      if (days.from < from) from = days.from;
      if (days.to > to) to = days.to;
      candidates.push({ line, ids });
    }
    if (!wanted.size) return out;
    const contracts = await this.contracts.paymentDaysOfProviders([...wanted], from, to);
    for (const { line, ids } of candidates) {
      const hint = contractHint(
        hintLine(line),
        contracts.filter((c) => ids.has(c.providerId)),
        providers,
      );
      if (hint) out.set(line._id, hint);
    }
    return out;
  }

  async hintFor(line: BankLineDoc): Promise<ContractHint | null> {
    return (await this.hintsFor([line])).get(line._id) ?? null;
  }
}
