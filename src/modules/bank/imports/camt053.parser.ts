import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isCalendarDate } from '../common/dates';
import { parseAmount } from './amounts';
import {
  StatementFormatError,
  type ParsedStatementLine,
  type RejectedRow,
  type StatementParseResult,
} from './statement';
import { decodeStatement } from './text-decoding';

/**
 * ISO 20022 camt.053 (BankToCustomerStatement), versions 001.02 … 001.13: namespaces are dropped, so one reader
 * serves them all. One bank line per booked entry (`Ntry`); an entry carrying several transactions
 * (`NtryDtls/TxDtls`, e.g. a batch of bankgiro payments) becomes one line per transaction when their amounts add up
 * to the entry, so each can be matched to its own bill.
 *
 * Read per entry: `Amt@Ccy`, `CdtDbtInd` (CRDT = in, DBIT = out), `Sts` (only BOOK is imported; pending entries
 * are rejected), `BookgDt`/`ValDt` (`Dt` or `DtTm`), `AcctSvcrRef`, and per transaction `Refs/AcctSvcrRef`,
 * `Refs/EndToEndId`, `RmtInf/Strd/CdtrRefInf/Ref` (the OCR number), `RmtInf/Ustrd`, `RltdPties` (creditor's name
 * for money out, debtor's for money in), `AddtlTxInf`, and `AddtlNtryInf` as the text of last resort; `BkTxCd`
 * (the transaction's, else the entry's) as the line's transaction code.
 *
 * No DTD, no external entities: fast-xml-parser does not resolve them.
 */

type Node = Record<string, unknown>;

const ARRAYS = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Keep every value a string: OCR numbers and references have leading zeros.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

const asNode = (v: unknown): Node | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Text of an element that may carry attributes (`{'#text': …, '@Ccy': …}`) or be plain. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  const node = asNode(v);
  if (node && typeof node['#text'] === 'string') return node['#text'].trim() || undefined;
  return undefined;
}

/** Walks a path of element names: `get(ntry, 'BookgDt', 'Dt')`. */
function get(node: unknown, ...path: string[]): unknown {
  let cur: unknown = node;
  for (const key of path) {
    const n = asNode(Array.isArray(cur) ? cur[0] : cur);
    if (!n) return undefined;
    cur = n[key];
  }
  return cur;
}

function dateOf(node: unknown): string | null {
  const raw = text(get(node, 'Dt')) ?? text(get(node, 'DtTm'));
  if (!raw) return null;
  const date = raw.slice(0, 10);
  return isCalendarDate(date) ? date : null;
}

/** `Sts` is a plain code up to camt.053.001.07 and `<Sts><Cd>` from .08 on. */
const statusOf = (ntry: Node): string | undefined => text(ntry.Sts) ?? text(get(ntry, 'Sts', 'Cd'));

function partyName(party: unknown): string | undefined {
  return text(get(party, 'Nm')) ?? text(get(party, 'Pty', 'Nm'));
}

function amountOf(node: unknown): { ore: number; currency: string | null } | null {
  const raw = text(node);
  if (!raw) return null;
  const ore = parseAmount(raw, '.');
  if (ore === null || ore <= 0) return null;
  return { ore, currency: (asNode(node)?.['@Ccy'] as string | undefined) ?? null };
}

/**
 * The bank transaction code of an entry or a transaction (`BkTxCd`): the ISO 20022 code as
 * `Domain-Family-SubFamily` (`Domn/Cd`, `Domn/Fmly/Cd`, `Domn/Fmly/SubFmlyCd`: `PMNT-CCRD-POSD`), else the
 * proprietary `Prtry/Cd`; null when neither is given.
 */
export function transactionCodeOf(bkTxCd: unknown): string | null {
  const domain = text(get(bkTxCd, 'Domn', 'Cd'));
  if (domain) {
    const family = text(get(bkTxCd, 'Domn', 'Fmly', 'Cd'));
    const sub = family ? text(get(bkTxCd, 'Domn', 'Fmly', 'SubFmlyCd')) : undefined;
    return [domain, family, sub]
      .filter((s): s is string => !!s)
      .join('-')
      .slice(0, 100);
  }
  return text(get(bkTxCd, 'Prtry', 'Cd'))?.slice(0, 100) ?? null;
}

const notProvided = (v: string | undefined): string | null =>
  v && v.toUpperCase() !== 'NOTPROVIDED' ? v : null;

export function parseCamt053(bytes: Uint8Array): StatementParseResult & { statements: number } {
  const { text: xml } = decodeStatement(bytes, 'utf-8');
  if (!/<\s*(?:\w+:)?Document[\s>]/.test(xml))
    throw new StatementFormatError('Not an ISO 20022 XML document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new StatementFormatError(`Invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  const root = asNode(parser.parse(xml));
  const statementRoot = get(root, 'Document', 'BkToCstmrStmt');
  if (!statementRoot) throw new StatementFormatError('Not a camt.053 statement (no BkToCstmrStmt)');
  const lines: ParsedStatementLine[] = [];
  const rejected: RejectedRow[] = [];
  let position = 0;
  const statements = asArray(asNode(statementRoot)?.Stmt);
  for (const stmt of statements) {
    for (const rawEntry of asArray(asNode(stmt)?.Ntry)) {
      position++;
      const entry = asNode(rawEntry);
      const reject = (reason: string) => rejected.push({ line: position, reason });
      if (!entry) {
        reject('Empty entry');
        continue;
      }
      const status = statusOf(entry);
      if (status && status.toUpperCase() !== 'BOOK') {
        reject(`Entry status ${status}: only booked entries are imported`);
        continue;
      }
      const amount = amountOf(entry.Amt);
      if (!amount) {
        reject('Amount missing or not a positive amount');
        continue;
      }
      const indicator = text(entry.CdtDbtInd);
      if (indicator !== 'CRDT' && indicator !== 'DBIT') {
        reject(`CdtDbtInd "${indicator ?? ''}" is neither CRDT nor DBIT`);
        continue;
      }
      const bookingDate = dateOf(entry.BookgDt) ?? dateOf(entry.ValDt);
      if (!bookingDate) {
        reject('Booking date missing or invalid');
        continue;
      }
      const valueDate = dateOf(entry.ValDt);
      const entryRef = text(entry.AcctSvcrRef) ?? null;
      const reversal = text(entry.RvslInd) === 'true';
      const entryText = text(entry.AddtlNtryInf) ?? '';
      const entryCode = transactionCodeOf(entry.BkTxCd);
      const transactions = asArray(entry.NtryDtls)
        .flatMap((d) => asArray(asNode(d)?.TxDtls))
        .map(asNode)
        .filter((t): t is Node => !!t);

      const sign = indicator === 'CRDT' ? 1 : -1;
      const txAmounts = transactions.map(
        (tx) => amountOf(get(tx, 'AmtDtls', 'TxAmt', 'Amt')) ?? amountOf(tx.Amt),
      );
      const split =
        transactions.length > 1 &&
        txAmounts.every((a) => a !== null) &&
        txAmounts.reduce((sum, a) => sum + a.ore, 0) === amount.ore;
      const parts: (Node | undefined)[] = split ? transactions : [transactions[0]];
      parts.forEach((tx, index) => {
        const refs = get(tx, 'Refs');
        const ustrd = asArray(get(tx, 'RmtInf', 'Ustrd'))
          .map(text)
          .filter((s): s is string => !!s);
        const ocr = asArray(get(tx, 'RmtInf', 'Strd'))
          .map((s) => text(get(s, 'CdtrRefInf', 'Ref')))
          .find((s): s is string => !!s);
        const parties = get(tx, 'RltdPties');
        const counterparty =
          sign < 0
            ? (partyName(get(parties, 'Cdtr')) ?? partyName(get(parties, 'UltmtCdtr')))
            : (partyName(get(parties, 'Dbtr')) ?? partyName(get(parties, 'UltmtDbtr')));
        const txRef = text(get(refs, 'AcctSvcrRef'));
        const lineText =
          [ustrd.join(' '), text(get(tx, 'AddtlTxInf')), entryText, counterparty].find((s) => !!s) ?? '';
        lines.push({
          lineNo: position,
          bookingDate,
          valueDate,
          amount: sign * (split ? txAmounts[index].ore : amount.ore),
          currency: amount.currency,
          text: (reversal ? `${lineText} (återföring)` : lineText).replace(/\s+/g, ' ').trim(),
          reference: ocr ?? null,
          counterpartyName: counterparty ?? null,
          bankReference: txRef ?? (entryRef && split ? `${entryRef}#${index + 1}` : entryRef),
          endToEndId: notProvided(text(get(refs, 'EndToEndId'))),
          balance: null,
          // A transaction's own code (TxDtls/BkTxCd) when it has one, else the entry's.
          transactionCode: transactionCodeOf(get(tx, 'BkTxCd')) ?? entryCode,
        });
      });
    }
  }
  return { lines, rejected, statements: statements.length };
}

/** True when the bytes look like a camt.053 document (decides the format of an upload without a hint). */
export function looksLikeCamt053(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  return /<\?xml|<\s*(?:\w+:)?Document[\s>]/.test(head) && /camt\.053|BkToCstmrStmt/.test(head);
}
