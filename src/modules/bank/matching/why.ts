import { formatMoney } from '../../../common/money';
import { evidence } from './scoring';
import type { MatchSignals } from './types';

/**
 * The "why" of a suggestion in Swedish and English: the signals that added evidence (or, for a different amount
 * a name that does not resemble, a card purchase or earlier rejections, took some away), strongest first in a fixed
 * order — reference, amount, date, name, card purchase, history — and last the rivals: other candidates that
 * explain the line almost as well, by name. Signals that did not count are left out.
 */

const abbreviate = (ref: string): string => (ref.length > 12 ? `${ref.slice(0, 10)}…` : ref);
const days = (n: number, sv: [string, string], en: [string, string]) => ({
  sv: `${n} ${n === 1 ? sv[0] : sv[1]}`,
  en: `${n} ${n === 1 ? en[0] : en[1]}`,
});
const percent = (x: number): number => Math.round(x * 100);

/**
 * formatMoney of an amount difference, kept per amount (Intl formatting costs microseconds and the differences within
 * tolerance repeat: at most 10 000 öre each); emptied when it grows past its bound.
 */
const differences = { sv: new Map<number, string>(), en: new Map<number, string>() };
function difference(ore: number, locale: 'sv' | 'en'): string {
  const memo = differences[locale];
  let text = memo.get(ore);
  if (text === undefined) {
    if (memo.size >= 20_000) memo.clear();
    text = formatMoney(ore, { locale });
    memo.set(ore, text);
  }
  return text;
}

/** "a, b, c" with the first letter upper case ('' for none). */
function sentence(parts: readonly string[]): string {
  if (!parts.length) return '';
  let out = parts[0].charAt(0).toUpperCase() + parts[0].slice(1);
  for (let i = 1; i < parts.length; i++) out += ', ' + parts[i];
  return out;
}

export function whyText(signals: MatchSignals): { sv: string; en: string } {
  const { parts } = evidence(signals);
  const sv: string[] = [];
  const en: string[] = [];

  const ref = signals.reference;
  if (ref?.kind === 'ocr') {
    sv.push(`OCR ${abbreviate(ref.value)} stämmer exakt`);
    en.push(`OCR ${abbreviate(ref.value)} matches exactly`);
  } else if (ref?.kind === 'invoice_number') {
    sv.push(`fakturanummer ${ref.value} finns i texten`);
    en.push(`invoice number ${ref.value} appears in the text`);
  }

  if (parts.reference < 0 && signals.otherReference) {
    sv.push(`radens OCR ${abbreviate(signals.otherReference)} hör till en annan räkning`);
    en.push(`the line's OCR ${abbreviate(signals.otherReference)} belongs to another bill`);
  }

  const amount = signals.amount;
  if (amount.kind === 'exact' && amount.specific) {
    sv.push('beloppet stämmer på öret');
    en.push('the amount matches to the öre');
  } else if (amount.kind === 'exact') {
    sv.push('beloppet stämmer');
    en.push('the amount matches');
  } else if (parts.amount !== 0) {
    sv.push(`beloppet avviker ${difference(amount.differenceOre, 'sv')}`);
    en.push(`the amount differs by ${difference(amount.differenceOre, 'en')}`);
  }

  const date = signals.date;
  if (parts.date > 0) {
    const d = Math.abs(date.days);
    const bill = date.relativeTo === 'due_date';
    if (date.days === 0) {
      sv.push(bill ? 'på förfallodagen' : 'samma dag');
      en.push(bill ? 'on the due date' : 'on the same day');
    } else {
      const n = days(d, ['dag', 'dagar'], ['day', 'days']);
      const after = date.days > 0;
      sv.push(`${n.sv} ${after ? 'efter' : 'före'} ${bill ? 'förfallodag' : 'transaktionens datum'}`);
      en.push(`${n.en} ${after ? 'after' : 'before'} ${bill ? 'the due date' : "the transaction's date"}`);
    }
  } else if (parts.date < 0) {
    const n = days(Math.abs(date.days), ['dag', 'dagar'], ['day', 'days']);
    sv.push(`betald ${n.sv} efter förfallodagen`);
    en.push(`paid ${n.en} after the due date`);
  }

  const name = signals.name;
  if (name && parts.name > 0) {
    if (name.similarity >= 0.99) {
      sv.push(`namnet stämmer med "${name.matched}"`);
      en.push(`the name matches "${name.matched}"`);
    } else {
      sv.push(`namnet liknar "${name.matched}" (${percent(name.similarity)} %)`);
      en.push(`the name resembles "${name.matched}" (${percent(name.similarity)}%)`);
    }
  } else if (name && parts.name < 0) {
    sv.push(`namnet liknar inte "${name.matched}"`);
    en.push(`the name does not resemble "${name.matched}"`);
  }

  if (parts.kind < 0) {
    sv.push('ett kortköp, inte en betalning av räkningen');
    en.push('a card purchase, not a payment of the bill');
  }

  const h = signals.history;
  if (h && parts.history !== 0) {
    const bits: { sv: string; en: string }[] = [];
    if (h.approved > 0) {
      bits.push({
        sv: `${h.approved} ${h.approved === 1 ? 'tidigare godkänd matchning' : 'tidigare godkända matchningar'}`,
        en: `${h.approved} earlier approved ${h.approved === 1 ? 'match' : 'matches'}`,
      });
    }
    if (h.rejected > 0) {
      bits.push({
        sv: `${h.rejected} ${h.rejected === 1 ? 'avvisad' : 'avvisade'}`,
        en: `${h.rejected} rejected`,
      });
    }
    sv.push(`${bits.map((b) => b.sv).join(', ')} för motparten`);
    en.push(`${bits.map((b) => b.en).join(', ')} for this counterparty`);
  }

  const rivals = signals.rivals;
  if (rivals?.length) {
    const labels = rivals.map((r) => `"${r.label}"`).join(rivals.length === 2 ? ' och ' : ', ');
    const labelsEn = rivals.map((r) => `"${r.label}"`).join(rivals.length === 2 ? ' and ' : ', ');
    const one = rivals.length === 1;
    sv.push(`men även ${labels} passar nästan lika bra eller bättre`);
    en.push(`but ${labelsEn} ${one ? 'fits' : 'fit'} almost as well or better`);
  }

  return {
    sv: sentence(sv) || 'Inga starka signaler',
    en: sentence(en) || 'No strong signals',
  };
}
