import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'sv' | 'en';

const sv = {
  appTitle: 'WestWallet admin',
  signIn: 'Logga in',
  signingIn: 'Loggar in…',
  email: 'E-post',
  password: 'Lösenord',
  signOut: 'Logga ut',
  notAdmin: 'Kontot är inte plattformsadministratör. Bara administratörer kommer in här.',
  language: 'Språk',
  nav: 'Huvudmeny',
  overview: 'Översikt',
  accounts: 'Konton',
  policy: 'Betalningspolicy',
  users: 'Användare',
  system: 'System',
  audit: 'Granskningslogg',
  loading: 'Laddar…',
  empty: 'Inget att visa.',
  errorTitle: 'Något gick fel',
  retry: 'Försök igen',
  byPlan: 'Organisationer per plan',
  byStatus: 'Betalstatus',
  total: 'Totalt',
  pro: 'Pro',
  trial: 'Provperiod',
  free: 'Gratis',
  active: 'Aktiv',
  past_due: 'Förfallen',
  suspended: 'Spärrad',
  trialsEnding: 'Provperioder som slutar denna vecka',
  revenue: 'Intäkter denna månad (betalda fakturor)',
  invoicesCount: 'fakturor',
  search: 'Sök',
  searchHint: 'Namn eller ägarens e-post',
  plan: 'Plan',
  status: 'Status',
  sort: 'Sortering',
  all: 'Alla',
  name: 'Namn',
  owner: 'Ägare',
  created: 'Skapad',
  periodEnd: 'Periodens slut',
  graceUntil: 'Respit till',
  trialEnd: 'Provperiodens slut',
  latestInvoice: 'Senaste faktura',
  nextPage: 'Nästa sida',
  firstPage: 'Första sidan',
  access: 'Åtkomst',
  full: 'Full',
  read_only: 'Läsläge',
  paidPeriod: 'Perioden betald',
  yes: 'Ja',
  no: 'Nej',
  banner: 'Banner som kunden ser',
  noBanner: 'Ingen banner visas.',
  invoices: 'Fakturor och betalningar',
  invoiceNo: 'Fakturanr',
  amount: 'Belopp',
  dueDate: 'Förfallodag',
  paidAt: 'Betald',
  open: 'Obetald',
  paid: 'Betald',
  overdue: 'förfallen',
  actions: 'Åtgärder',
  givePro: 'Ge Pro',
  startTrial: 'Starta provperiod',
  downgrade: 'Nedgradera till gratis',
  registerInvoice: 'Registrera faktura',
  markPaid: 'Markera betald',
  days: 'Dagar',
  reason: 'Anledning',
  amountKr: 'Belopp (kr)',
  confirm: 'Bekräfta',
  cancel: 'Avbryt',
  confirmTitle: 'Bekräfta åtgärd',
  stateAfter: 'Läget efter åtgärden',
  done: 'Klart',
  notices: 'Utskick',
  owners: 'Ägare',
  back: 'Tillbaka till kontona',
  policyEffect: 'Så här blir reglerna efter ändringen',
  currentRules: 'Regler som gäller nu',
  save: 'Spara',
  review: 'Granska ändringen',
  periodDays: 'Periodlängd (dagar)',
  graceDays: 'Respit (dagar)',
  trialDays: 'Provperiod (dagar)',
  signUpPlan: 'Plan vid registrering',
  afterGrace: 'Efter respiten',
  free_suspended: 'Gratis och spärrad',
  freeAccess: 'Gratisplanens åtkomst',
  changed: 'Ändrat',
  noChange: 'Inget är ändrat.',
  updated: 'Senast ändrad',
  role: 'Roll',
  deleted: 'Borttagen',
  showDeleted: 'Visa',
  onlyDeleted: 'Bara borttagna',
  onlyActive: 'Bara aktiva',
  softDelete: 'Ta bort',
  restore: 'Återställ',
  organizations: 'Organisationer (provperiod och betalningar)',
  showOrgs: 'Visa organisationer',
  components: 'Komponenter',
  reasons: 'Orsaker',
  checkedAt: 'Kontrollerad',
  refresh: 'Uppdatera',
  chain: 'Kedja (organisations-id eller platform)',
  verify: 'Verifiera kedjan',
  chainValid: 'Kedjan är hel',
  chainBroken: 'Kedjan bryts',
  entries: 'poster',
  at: 'Tid',
  action: 'Händelse',
  actor: 'Utförd av',
  target: 'Objekt',
  brokenAt: 'Första trasiga post',
  filterAction: 'Händelse (t.ex. billing.invoice_created)',
  ok: 'OK',
  degraded: 'Försämrad',
  down: 'Nere',
  verified: 'Verifierad',
  details: 'Detaljer',
  ended: 'Slutade',
  daysLeft: 'dagar kvar',
  skipToContent: 'Hoppa till innehållet',
};

export type Key = keyof typeof sv;

const en: Record<Key, string> = {
  appTitle: 'WestWallet admin',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  email: 'Email',
  password: 'Password',
  signOut: 'Sign out',
  notAdmin: 'This account is not a platform administrator. Only administrators get in here.',
  language: 'Language',
  nav: 'Main menu',
  overview: 'Overview',
  accounts: 'Accounts',
  policy: 'Billing policy',
  users: 'Users',
  system: 'System',
  audit: 'Audit log',
  loading: 'Loading…',
  empty: 'Nothing to show.',
  errorTitle: 'Something went wrong',
  retry: 'Try again',
  byPlan: 'Organizations by plan',
  byStatus: 'Billing status',
  total: 'Total',
  pro: 'Pro',
  trial: 'Trial',
  free: 'Free',
  active: 'Active',
  past_due: 'Past due',
  suspended: 'Suspended',
  trialsEnding: 'Trials ending this week',
  revenue: 'Revenue this month (paid invoices)',
  invoicesCount: 'invoices',
  search: 'Search',
  searchHint: 'Name or owner email',
  plan: 'Plan',
  status: 'Status',
  sort: 'Sort',
  all: 'All',
  name: 'Name',
  owner: 'Owner',
  created: 'Created',
  periodEnd: 'Period end',
  graceUntil: 'Grace until',
  trialEnd: 'Trial end',
  latestInvoice: 'Latest invoice',
  nextPage: 'Next page',
  firstPage: 'First page',
  access: 'Access',
  full: 'Full',
  read_only: 'Read-only',
  paidPeriod: 'Period paid',
  yes: 'Yes',
  no: 'No',
  banner: 'Banner the customer sees',
  noBanner: 'No banner is shown.',
  invoices: 'Invoices and payments',
  invoiceNo: 'Invoice no.',
  amount: 'Amount',
  dueDate: 'Due date',
  paidAt: 'Paid',
  open: 'Unpaid',
  paid: 'Paid',
  overdue: 'overdue',
  actions: 'Actions',
  givePro: 'Give Pro',
  startTrial: 'Start a trial',
  downgrade: 'Downgrade to free',
  registerInvoice: 'Register invoice',
  markPaid: 'Mark paid',
  days: 'Days',
  reason: 'Reason',
  amountKr: 'Amount (SEK)',
  confirm: 'Confirm',
  cancel: 'Cancel',
  confirmTitle: 'Confirm action',
  stateAfter: 'State after the action',
  done: 'Done',
  notices: 'Notices sent',
  owners: 'Owners',
  back: 'Back to accounts',
  policyEffect: 'The rules after the change',
  currentRules: 'Rules in force',
  save: 'Save',
  review: 'Review the change',
  periodDays: 'Period length (days)',
  graceDays: 'Grace (days)',
  trialDays: 'Trial (days)',
  signUpPlan: 'Plan at sign-up',
  afterGrace: 'After grace',
  free_suspended: 'Free and suspended',
  freeAccess: 'Free plan access',
  changed: 'Changed',
  noChange: 'Nothing is changed.',
  updated: 'Last changed',
  role: 'Role',
  deleted: 'Deleted',
  showDeleted: 'Show',
  onlyDeleted: 'Deleted only',
  onlyActive: 'Active only',
  softDelete: 'Delete',
  restore: 'Restore',
  organizations: 'Organizations (trial and payments)',
  showOrgs: 'Show organizations',
  components: 'Components',
  reasons: 'Reasons',
  checkedAt: 'Checked',
  refresh: 'Refresh',
  chain: 'Chain (organization id or platform)',
  verify: 'Verify the chain',
  chainValid: 'The chain is intact',
  chainBroken: 'The chain breaks',
  entries: 'entries',
  at: 'Time',
  action: 'Action',
  actor: 'Actor',
  target: 'Target',
  brokenAt: 'First broken entry',
  filterAction: 'Action (e.g. billing.invoice_created)',
  ok: 'OK',
  degraded: 'Degraded',
  down: 'Down',
  verified: 'Verified',
  details: 'Details',
  ended: 'Ended',
  daysLeft: 'days left',
  skipToContent: 'Skip to content',
};

export const dictionaries: Record<Lang, Record<Key, string>> = { sv, en };

export interface I18n {
  lang: Lang;
  t: (key: Key) => string;
  /** A label for a value from the API (plan, status, …), the value itself when there is none. */
  label: (value: string) => string;
  setLang: (lang: Lang) => void;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const dict = dictionaries[lang];
  return {
    lang,
    t: (key) => dict[key],
    label: (value) => (value in dict ? dict[value as Key] : value),
    setLang,
  };
}

export const I18nContext = createContext<I18n>(makeI18n('sv', () => undefined));
export const useI18n = () => useContext(I18nContext);

const TIME_ZONE = 'Europe/Stockholm';
const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB');

/** Money in öre as SEK. */
export function formatMoney(ore: number, lang: Lang, currency = 'SEK'): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency }).format(ore / 100);
}

/** An instant as a Stockholm calendar date (YYYY-MM-DD). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '–';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short' }).format(
    new Date(value),
  );
}

/** An instant with the time, Stockholm. */
export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '–';
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(value));
}

/** The last day of something that ends at `end` (midnight after its last day), as a Stockholm date. */
export function lastDay(end: string | null | undefined): string {
  if (!end) return '–';
  return formatDate(new Date(new Date(end).getTime() - 1).toISOString());
}

/** Today in Stockholm, YYYY-MM-DD. */
export function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE }).format(new Date());
}
