import { formatMoney } from '../../../common/money';
import type { DueReminder } from '../../reminders/reminders.contract';
import type { NotificationKind } from '../notifications.contract';
import { KIND_LABELS } from './kinds';

export interface Bilingual {
  sv: string;
  en: string;
}

export interface NotificationText {
  title: Bilingual;
  body: Bilingual;
}

const plural = (n: number, sv: [string, string], en: [string, string]): Bilingual => ({
  sv: `${n} ${n === 1 ? sv[0] : sv[1]}`,
  en: `${n} ${n === 1 ? en[0] : en[1]}`,
});

/** A reminder as a notification: its own title, and the due date, distance and amount it is about. */
export function reminderText(r: DueReminder): NotificationText {
  const amount = (locale: 'sv' | 'en') =>
    r.amount !== null ? ` (${formatMoney(r.amount, { currency: r.currency ?? 'SEK', locale })})` : '';
  const due: Bilingual = r.dueDate
    ? { sv: `Datum: ${r.dueDate}.`, en: `Date: ${r.dueDate}.` }
    : r.dueOdometer !== null
      ? { sv: `Vid ${r.dueOdometer} km.`, en: `At ${r.dueOdometer} km.` }
      : { sv: '', en: '' };
  return {
    title: r.title,
    body: {
      sv: `${r.title.sv}${amount('sv')}. ${due.sv}`.trim(),
      en: `${r.title.en}${amount('en')}. ${due.en}`.trim(),
    },
  };
}

/** Bank lines waiting for someone's OK after an import. */
export function bankReviewText(waiting: number, suggested: number): NotificationText {
  const lines = plural(waiting, ['bankrad väntar', 'bankrader väntar'], ['bank line is', 'bank lines are']);
  return {
    title: { sv: `${lines.sv} på granskning`, en: `${lines.en} waiting for review` },
    body: {
      sv: `Importen är klar: ${lines.sv} på granskning${suggested ? `, ${suggested} med förslag` : ''}. Godkänn eller avvisa dem under Bank > Att granska.`,
      en: `The import is done: ${lines.en} waiting for review${suggested ? `, ${suggested} with suggestions` : ''}. Approve or reject them under Bank > To review.`,
    },
  };
}

export function importText(outcome: 'finished' | 'failed', summary: Bilingual): NotificationText {
  return outcome === 'finished'
    ? {
        title: { sv: 'Importen är klar', en: 'The import has finished' },
        body: { sv: `Importen är klar. ${summary.sv}`, en: `The import has finished. ${summary.en}` },
      }
    : {
        title: { sv: 'Importen misslyckades', en: 'The import failed' },
        body: { sv: `Importen misslyckades: ${summary.sv}`, en: `The import failed: ${summary.en}` },
      };
}

const BILLING_TEXTS: Record<string, Bilingual> = {
  pro_started: { sv: 'WestWallet Pro är aktiverat', en: 'WestWallet Pro is active' },
  payment_received: { sv: 'Betalningen har kommit in', en: 'The payment has been received' },
  past_due: {
    sv: 'Betalningen saknas – full åtkomst under respiten',
    en: 'Payment missing – full access during grace',
  },
  grace_expired: {
    sv: 'Kontot har gått över till gratisplanen',
    en: 'The account has moved to the free plan',
  },
  trial_started: { sv: 'Provperioden har startat', en: 'The trial has started' },
  trial_expired: { sv: 'Provperioden har tagit slut', en: 'The trial has ended' },
  downgraded: { sv: 'Kontot har nu gratisplanen', en: 'The account is now on the free plan' },
};

/** A billing transition of the organization (the owners also get the billing module's mail about it). */
export function billingText(
  kind: string,
  organization: string,
  plan: string,
  status: string,
): NotificationText {
  const head = BILLING_TEXTS[kind] ?? { sv: 'Abonnemanget har ändrats', en: 'The subscription has changed' };
  return {
    title: { sv: `${organization}: ${head.sv}`, en: `${organization}: ${head.en}` },
    body: {
      sv: `${head.sv} för "${organization}". Plan: ${plan}, status: ${status}.`,
      en: `${head.en} for "${organization}". Plan: ${plan}, status: ${status}.`,
    },
  };
}

/** An anomaly the AI detection found (ai.anomaly_detected): its kind as the title, its reason as the body. */
export function anomalyText(kind: string, reason: Bilingual): NotificationText {
  const titles: Record<string, Bilingual> = {
    unusual_amount: { sv: 'Ovanligt belopp', en: 'Unusual amount' },
    price_increase: { sv: 'Prishöjning', en: 'Price increase' },
    duplicate_charge: { sv: 'Möjlig dubbeldragning', en: 'Possible duplicate charge' },
    new_merchant: { sv: 'Stort köp hos ny mottagare', en: 'Large payment to a new merchant' },
    category_spike: { sv: 'Ovanligt hög månad', en: 'Unusually high month' },
    bill_paid_twice: { sv: 'Räkning betald två gånger', en: 'Bill paid twice' },
    charge_after_contract_end: { sv: 'Dragning efter avtalets slut', en: 'Charge after the contract ended' },
  };
  return { title: titles[kind] ?? { sv: 'Avvikelse', en: 'Anomaly' }, body: reason };
}

/** One mail with the day's notifications of the kinds a person gets as a digest. */
export function digestMail(
  items: { title: Bilingual; body: Bilingual }[],
  date: string,
  locale: 'sv' | 'en',
): { subject: string; body: string } {
  const count = plural(items.length, ['avisering', 'aviseringar'], ['notification', 'notifications'])[locale];
  const subject = locale === 'sv' ? `WestWallet: ${count} ${date}` : `WestWallet: ${count} for ${date}`;
  const intro =
    locale === 'sv'
      ? `Hej!\n\nDet här har hänt sedan förra sammanfattningen:`
      : `Hi!\n\nHere is what happened since the last digest:`;
  const lines = items.map((i) => `• ${i.title[locale]}\n  ${i.body[locale]}`);
  return { subject, body: `${intro}\n\n${lines.join('\n\n')}` };
}

/** The weekly summary: the past week's notifications by kind, and how many are still unread. */
export function weeklySummaryMail(
  counts: Partial<Record<NotificationKind, number>>,
  unread: number,
  from: string,
  to: string,
  locale: 'sv' | 'en',
): { subject: string; body: string } {
  const rows = (Object.entries(counts) as [NotificationKind, number][])
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `• ${KIND_LABELS[kind][locale]}: ${n}`);
  if (locale === 'sv') {
    return {
      subject: `WestWallet: veckan ${from} – ${to}`,
      body: `Hej!\n\nSå här såg veckan ut ${from} – ${to}:\n\n${rows.length ? rows.join('\n') : '• Inga nya aviseringar'}\n\nOlästa aviseringar i appen: ${unread}.`,
    };
  }
  return {
    subject: `WestWallet: the week ${from} – ${to}`,
    body: `Hi!\n\nYour week ${from} – ${to}:\n\n${rows.length ? rows.join('\n') : '• No new notifications'}\n\nUnread notifications in the app: ${unread}.`,
  };
}
