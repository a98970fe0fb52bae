import type { OrgType } from '../../../common/auth/roles';
import type { CategoryKind } from './categories.schema';

/**
 * The Swedish default categories an organization starts with, by organization type. Households and families get
 * everyday budget categories (families also "Barn" and "Barnbidrag"); associations get föreningskategorier
 * ("Medlemsavgifter", "Bidrag", …) and companies a small BAS-based set, both with BAS account numbers so their
 * bookings land on real accounts. BAS has no standard account for membership fees, sponsorship or events: those
 * use free accounts in class 30–34, as BAS recommends for such income.
 *
 * `key` is stable (stored as `defaultKey`); names are what users see and may rename.
 */
export interface DefaultCategory {
  key: string;
  name: string;
  kind: CategoryKind;
  bas?: string;
  children?: DefaultCategory[];
}

const exp = (key: string, name: string, bas?: string, children?: DefaultCategory[]): DefaultCategory => ({
  key,
  name,
  kind: 'expense',
  bas,
  children,
});
const inc = (key: string, name: string, bas?: string, children?: DefaultCategory[]): DefaultCategory => ({
  key,
  name,
  kind: 'income',
  bas,
  children,
});

const HOUSEHOLD: DefaultCategory[] = [
  inc('salary', 'Lön'),
  inc('benefits', 'Bidrag och ersättningar'),
  inc('refunds', 'Återbetalningar'),
  inc('other_income', 'Övriga inkomster'),
  exp('housing', 'Boende', undefined, [
    exp('rent', 'Hyra och avgift'),
    exp('electricity', 'El'),
    exp('home_insurance', 'Hemförsäkring'),
    exp('broadband', 'Bredband och tv'),
  ]),
  exp('food', 'Mat', undefined, [exp('groceries', 'Livsmedel'), exp('restaurants', 'Restaurang och café')]),
  exp('transport', 'Transport', undefined, [
    exp('fuel', 'Drivmedel'),
    exp('public_transport', 'Kollektivtrafik'),
    exp('car', 'Bil och parkering'),
  ]),
  exp('health', 'Hälsa och vård'),
  exp('clothes', 'Kläder och skor'),
  exp('leisure', 'Nöje och fritid'),
  exp('subscriptions', 'Abonnemang'),
  exp('savings', 'Sparande'),
  exp('other_expense', 'Övriga utgifter'),
];

const FAMILY: DefaultCategory[] = [
  ...HOUSEHOLD.slice(0, 1),
  inc('child_allowance', 'Barnbidrag'),
  ...HOUSEHOLD.slice(1, -1),
  exp('children', 'Barn', undefined, [
    exp('childcare', 'Förskola och fritids'),
    exp('children_clothes', 'Barnkläder'),
    exp('children_activities', 'Fritidsaktiviteter'),
  ]),
  ...HOUSEHOLD.slice(-1),
];

const ASSOCIATION: DefaultCategory[] = [
  inc('membership_fees', 'Medlemsavgifter', '3010'),
  inc('grants', 'Bidrag', '3989', [
    inc('municipal_grants', 'Kommunala bidrag', '3980'),
    inc('other_grants', 'Övriga bidrag', '3989'),
  ]),
  inc('sponsorship', 'Sponsring', '3020'),
  inc('events_income', 'Arrangemang och entréer', '3030'),
  inc('sales', 'Försäljning', '3050'),
  inc('interest_income', 'Ränteintäkter', '8310'),
  inc('other_income', 'Övriga intäkter', '3990'),
  exp('premises', 'Lokal', '5090', [
    exp('premises_rent', 'Lokalhyra', '5010'),
    exp('premises_power', 'El', '5020'),
  ]),
  exp('materials', 'Material och förbrukning', '5460'),
  exp('events', 'Arrangemang', '6990'),
  exp('travel', 'Resor', '5800'),
  exp('insurance', 'Försäkringar', '6310'),
  exp('postage', 'Porto och tryck', '6250'),
  exp('federation_fees', 'Förbundsavgifter', '6980'),
  exp('bank_fees', 'Bankavgifter', '6570'),
  exp('other_expense', 'Övriga kostnader', '6990'),
];

const COMPANY: DefaultCategory[] = [
  inc('sales_goods', 'Försäljning av varor', '3001'),
  inc('sales_services', 'Försäljning av tjänster', '3041'),
  inc('other_operating_income', 'Övriga rörelseintäkter', '3990'),
  inc('interest_income', 'Ränteintäkter', '8310'),
  exp('premises', 'Lokalkostnader', '5090', [
    exp('premises_rent', 'Lokalhyra', '5010'),
    exp('premises_power', 'El för lokal', '5020'),
    exp('cleaning', 'Städning', '5060'),
  ]),
  exp('equipment', 'Förbrukningsinventarier', '5410'),
  exp('software', 'Programvaror', '5420'),
  exp('supplies', 'Förbrukningsmaterial', '5460'),
  exp('fuel', 'Drivmedel', '5611'),
  exp('travel', 'Resekostnader', '5800'),
  exp('marketing', 'Reklam och PR', '5900'),
  exp('entertainment', 'Representation', '6071'),
  exp('office', 'Kontorsmaterial', '6110'),
  exp('telecom', 'Telefon och internet', '6210'),
  exp('postage', 'Porto', '6250'),
  exp('insurance', 'Företagsförsäkringar', '6310'),
  exp('accounting', 'Redovisning och revision', '6530'),
  exp('consultants', 'Konsultarvoden', '6550'),
  exp('bank_fees', 'Bankkostnader', '6570'),
  exp('staff', 'Personal', '7690', [
    exp('salaries', 'Löner', '7210'),
    exp('payroll_taxes', 'Arbetsgivaravgifter', '7510'),
  ]),
  exp('interest_expense', 'Räntekostnader', '8410'),
  exp('other_expense', 'Övriga externa kostnader', '6990'),
];

const BY_TYPE: Record<OrgType, DefaultCategory[]> = {
  household: HOUSEHOLD,
  family: FAMILY,
  association: ASSOCIATION,
  company: COMPANY,
};

export function defaultCategories(type: OrgType): DefaultCategory[] {
  return BY_TYPE[type];
}

/** Number of categories (roots and children) a type starts with. */
export function countDefaults(type: OrgType): number {
  return defaultCategories(type).reduce((n, c) => n + 1 + (c.children?.length ?? 0), 0);
}
