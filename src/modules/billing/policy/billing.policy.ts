import { z } from 'zod';
import { message, type Locale } from '../common/billing.messages';

/**
 * The billing policy: one document in the database (`billing_policy`, `_id: 'current'`), read on every use (it is an
 * `_id` lookup), defaults below when it was never changed. A platform admin reads and changes it through
 * `GET/PATCH /api/v1/admin/billing/policy`.
 */
export const SIGN_UP_PLANS = ['free', 'trial'] as const;
export const AFTER_GRACE = ['free_suspended', 'free'] as const;
export const FREE_ACCESS = ['read_only', 'full'] as const;

export const billingPolicySchema = z.strictObject({
  /** Length of a paid period in calendar days. */
  periodDays: z.number().int().min(1).max(366),
  /** Days of full Pro access after an unpaid periodEnd (status past_due). */
  graceDays: z.number().int().min(0).max(90),
  /** Default length of a trial an admin grants (and of a sign-up trial when signUpPlan is `trial`). */
  trialDays: z.number().int().min(1).max(90),
  /** What a new organization starts on. `trial` gives every new organization a trial of trialDays. */
  signUpPlan: z.enum(SIGN_UP_PLANS),
  /** After grace: `free_suspended` (plan free + status suspended, always read-only) or only `free`. */
  afterGrace: z.enum(AFTER_GRACE),
  /** What the free plan may do: `read_only` (default) or `full`. A suspended account is read-only regardless. */
  freeAccess: z.enum(FREE_ACCESS),
  /** Reminder this many days before periodEnd while an invoice is unpaid. */
  periodReminderDays: z.number().int().min(1).max(60),
  /** Reminder this many days before graceUntil. */
  graceReminderDays: z.number().int().min(1).max(60),
  /** Reminder this many days before trialEnd. */
  trialReminderDays: z.number().int().min(1).max(60),
});

export type BillingPolicy = z.infer<typeof billingPolicySchema>;

export const DEFAULT_BILLING_POLICY: BillingPolicy = {
  periodDays: 30,
  graceDays: 14,
  trialDays: 14,
  signUpPlan: 'free',
  afterGrace: 'free_suspended',
  freeAccess: 'read_only',
  periodReminderDays: 7,
  graceReminderDays: 3,
  trialReminderDays: 3,
};

/** PATCH body: any subset; the merged policy must keep grace shorter than a period. */
export const billingPolicyPatchSchema = billingPolicySchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

export type BillingPolicyPatch = z.infer<typeof billingPolicyPatchSchema>;

/** Why a merged policy is not acceptable, or null. */
export function policyProblem(policy: BillingPolicy): string | null {
  if (policy.graceDays >= policy.periodDays) return 'graceDays must be shorter than periodDays';
  if (policy.periodReminderDays >= policy.periodDays)
    return 'periodReminderDays must be shorter than periodDays';
  return null;
}

export interface PolicyRule {
  key: string;
  sv: string;
  en: string;
}

const days = (n: number, lang: Locale) => message('days', lang, { n });

/** The policy card: the rules in force, in words (Swedish and English), built from the numbers. */
export function policyRules(p: BillingPolicy): PolicyRule[] {
  const fallbackSv =
    p.afterGrace === 'free_suspended'
      ? 'kontot går över till gratisplanen och spärras (läsläge) tills en betalning kommer in'
      : 'kontot går över till gratisplanen';
  const fallbackEn =
    p.afterGrace === 'free_suspended'
      ? 'the account moves to the free plan and is suspended (read-only) until a payment arrives'
      : 'the account moves to the free plan';
  return [
    {
      key: 'signUp',
      sv:
        p.signUpPlan === 'trial'
          ? `Nya organisationer får en provperiod på ${days(p.trialDays, 'sv')}.`
          : 'Nya organisationer börjar på gratisplanen.',
      en:
        p.signUpPlan === 'trial'
          ? `New organizations get a trial of ${days(p.trialDays, 'en')}.`
          : 'New organizations start on the free plan.',
    },
    {
      key: 'free',
      sv:
        p.freeAccess === 'read_only'
          ? 'Gratisplanen är skrivskyddad: allt kan läsas, men inget kan skapas, ändras, tas bort, laddas upp, exporteras eller synkas till kalendern.'
          : 'Gratisplanen har full åtkomst.',
      en:
        p.freeAccess === 'read_only'
          ? 'The free plan is read-only: everything can be read, but nothing can be created, changed, deleted, uploaded, exported or synced to a calendar.'
          : 'The free plan has full access.',
    },
    {
      key: 'trial',
      sv: `En provperiod är ${days(p.trialDays, 'sv')} med full åtkomst och beviljas av en administratör; därefter gäller gratisplanen.`,
      en: `A trial lasts ${days(p.trialDays, 'en')} with full access and is granted by an admin; afterwards the free plan applies.`,
    },
    {
      key: 'period',
      sv: `Pro betalas per period om ${days(p.periodDays, 'sv')} mot faktura. Pro via en inbjudan från en administratör gäller direkt och faktureras i efterhand.`,
      en: `Pro is paid per period of ${days(p.periodDays, 'en')} by invoice. Pro through an admin invitation applies at once and is invoiced afterwards.`,
    },
    {
      key: 'grace',
      sv: `Är perioden obetald när den tar slut blir kontot förfallet (past_due) men behåller full Pro-åtkomst i ${days(p.graceDays, 'sv')} (respit).`,
      en: `If the period is unpaid when it ends, the account becomes past due but keeps full Pro access for ${days(p.graceDays, 'en')} (grace).`,
    },
    {
      key: 'afterGrace',
      sv: `Efter respiten ${fallbackSv}.`,
      en: `After the grace period ${fallbackEn}.`,
    },
    {
      key: 'payment',
      sv: 'En betalning ger Pro och status aktiv. Kommer den inom respiten börjar den nya perioden där den förra slutade, annars på betalningsdagen.',
      en: 'A payment gives Pro and status active. If it arrives within the grace period the new period starts where the previous one ended, otherwise on the payment date.',
    },
    {
      key: 'reminders',
      sv: `Påminnelser till ägarna: ${days(p.periodReminderDays, 'sv')} före periodens slut om en faktura är obetald, ${days(p.graceReminderDays, 'sv')} före respitens slut och ${days(p.trialReminderDays, 'sv')} före provperiodens slut.`,
      en: `Reminders to the owners: ${days(p.periodReminderDays, 'en')} before the period ends while an invoice is unpaid, ${days(p.graceReminderDays, 'en')} before grace ends and ${days(p.trialReminderDays, 'en')} before a trial ends.`,
    },
    {
      key: 'days',
      sv: 'Alla datum räknas i svensk tid: en period, respit eller provperiod tar slut vid midnatt (00.00) i början av sitt slutdatum.',
      en: 'All dates are Swedish time: a period, grace or trial ends at midnight (00:00) at the start of its end date.',
    },
  ];
}
