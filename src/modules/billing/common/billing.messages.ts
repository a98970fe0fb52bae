/**
 * Every Swedish and English text of billing (banners, mail lines), keyed by message id: the state machine and the
 * notifier ask for `message(id, locale, vars)`, notifications reuse the same ids. Money goes through `formatMoney`.
 */
import { formatMoney } from '../../../common/money';

export type Locale = 'sv' | 'en';
export const LOCALES: readonly Locale[] = ['sv', 'en'];

/** An open invoice as texts name it: its number, amount in öre and due date (`YYYY-MM-DD`). */
export interface InvoiceVars {
  invoiceId: string;
  amount: number;
  currency: string;
  dueDate: string;
}

/** One text in both languages, taking the same variables. */
type Entry<V> = Record<Locale, (vars: V) => string>;
const entry = <V>(texts: Entry<V>): Entry<V> => texts;

type NoVars = Record<string, never>;

const daysSv = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagar'}`;
const daysEn = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const freePlanSv = (readOnly: boolean) => (readOnly ? 'gratisplanen, som är skrivskyddad' : 'gratisplanen');
const freePlanEn = (readOnly: boolean) => (readOnly ? 'the free plan, which is read-only' : 'the free plan');
const invoiceSv = (i: InvoiceVars) =>
  `Faktura ${i.invoiceId} på ${formatMoney(i.amount, { currency: i.currency, locale: 'sv' })} förfaller ${i.dueDate}.`;
const invoiceEn = (i: InvoiceVars) =>
  `Invoice ${i.invoiceId} of ${formatMoney(i.amount, { currency: i.currency, locale: 'en' })} is due ${i.dueDate}.`;
/** The invoice sentence after a banner text, with its leading space; nothing without an open invoice. */
const thenInvoice = (text: (i: InvoiceVars) => string, invoice: InvoiceVars | null) =>
  invoice ? ` ${text(invoice)}` : '';

const CATALOGUE = {
  /** `1 dag` / `3 dagar`. */
  days: entry<{ n: number }>({ sv: (v) => daysSv(v.n), en: (v) => daysEn(v.n) }),
  /** What an account falls back to, naming read-only when the free plan is. */
  free_plan: entry<{ readOnly: boolean }>({
    sv: (v) => freePlanSv(v.readOnly),
    en: (v) => freePlanEn(v.readOnly),
  }),
  /** The open invoice, as a sentence: banners end with it, mails get it as `invoiceSv` / `invoiceEn`. */
  invoice_due: entry<InvoiceVars>({ sv: invoiceSv, en: invoiceEn }),
  banner_account_suspended: entry<{ invoice: InvoiceVars | null }>({
    sv: (v) =>
      `Kontot är spärrat och skrivskyddat eftersom betalningen för Pro uteblev. Allt går att läsa, men inget kan ändras förrän betalningen kommit in.${thenInvoice(invoiceSv, v.invoice)}`,
    en: (v) =>
      `The account is suspended and read-only because the Pro payment did not arrive. Everything can be read, but nothing can be changed until it is paid.${thenInvoice(invoiceEn, v.invoice)}`,
  }),
  banner_payment_overdue: entry<{
    days: number;
    lastDay: string;
    readOnly: boolean;
    invoice: InvoiceVars | null;
  }>({
    sv: (v) =>
      `Betalningen för Pro saknas. Ni har full åtkomst i ${daysSv(v.days)} till (t.o.m. ${v.lastDay}); därefter gäller ${freePlanSv(v.readOnly)}.${thenInvoice(invoiceSv, v.invoice)}`,
    en: (v) =>
      `The Pro payment is missing. You keep full access for ${daysEn(v.days)} (through ${v.lastDay}); after that ${freePlanEn(v.readOnly)} applies.${thenInvoice(invoiceEn, v.invoice)}`,
  }),
  banner_period_ending: entry<{ days: number; lastDay: string; invoice: InvoiceVars | null }>({
    sv: (v) =>
      `Er Pro-period gäller t.o.m. ${v.lastDay} (${daysSv(v.days)} kvar).${thenInvoice(invoiceSv, v.invoice)}`,
    en: (v) =>
      `Your Pro period runs through ${v.lastDay} (${daysEn(v.days)} left).${thenInvoice(invoiceEn, v.invoice)}`,
  }),
  banner_trial: entry<{ days: number; lastDay: string; readOnly: boolean }>({
    sv: (v) =>
      `Provperiod: ${daysSv(v.days)} kvar (t.o.m. ${v.lastDay}). Därefter gäller ${freePlanSv(v.readOnly)} om ni inte uppgraderar till Pro.`,
    en: (v) =>
      `Trial: ${daysEn(v.days)} left (through ${v.lastDay}). After that ${freePlanEn(v.readOnly)} applies unless you upgrade to Pro.`,
  }),
  banner_read_only_free: entry<NoVars>({
    sv: () =>
      'Ni har gratisplanen och kan läsa allt, men inte skapa, ändra eller ta bort något. Uppgradera till Pro för full åtkomst.',
    en: () =>
      'You are on the free plan: you can read everything but not create, change or delete anything. Upgrade to Pro for full access.',
  }),
};

export type MessageId = keyof typeof CATALOGUE;
export type MessageVars<I extends MessageId> = Parameters<(typeof CATALOGUE)[I]['sv']>[0];
export const MESSAGE_IDS = Object.keys(CATALOGUE) as MessageId[];

/** The text `id` in `locale`, filled in with `vars`. */
export function message<I extends MessageId>(id: I, locale: Locale, vars: MessageVars<I>): string {
  const text = CATALOGUE[id][locale] as (vars: MessageVars<I>) => string;
  return text(vars);
}

/** The text `id` in every language, as banners carry it. */
export function messages<I extends MessageId>(id: I, vars: MessageVars<I>): Record<Locale, string> {
  return { sv: message(id, 'sv', vars), en: message(id, 'en', vars) };
}
