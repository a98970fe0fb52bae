import { startOfStockholmDay } from '../common/billing.dates';
import { DEFAULT_BILLING_POLICY, type BillingPolicy } from '../policy/billing.policy';
import {
  accessOf,
  applyPayment,
  bannerOf,
  downgrade,
  effectiveState,
  evaluate,
  grantPro,
  grantTrial,
  signUpState,
  type BillingState,
  type OpenInvoice,
} from './billing.state';

const policy: BillingPolicy = DEFAULT_BILLING_POLICY;
const midnight = (date: string) => startOfStockholmDay(date);
/** A Stockholm wall-clock time on a date (not on a DST day). */
const at = (date: string, time = '03:15') => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return new Date(midnight(date).getTime() + (h * 60 + m) * 60_000);
};
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

const P = midnight('2026-04-09'); // periodEnd: Pro through 2026-04-08
const G = midnight('2026-04-23'); // periodEnd + 14 days
const T = midnight('2026-05-01'); // trialEnd

const pro: BillingState = {
  plan: 'pro',
  billingStatus: 'active',
  periodEnd: P,
  graceUntil: null,
  trialEnd: null,
  periodPaid: true,
};
const pastDue: BillingState = { ...pro, billingStatus: 'past_due', graceUntil: G };
const trial: BillingState = {
  plan: 'trial',
  billingStatus: 'active',
  periodEnd: null,
  graceUntil: null,
  trialEnd: T,
  periodPaid: true,
};
const free: BillingState = {
  plan: 'free',
  billingStatus: 'active',
  periodEnd: null,
  graceUntil: null,
  trialEnd: null,
  periodPaid: true,
};
const invoice: OpenInvoice = { invoiceId: '1042', amount: 9900, currency: 'SEK', dueDate: '2026-04-08' };

describe('billing state machine', () => {
  describe('pro unpaid at periodEnd → past_due', () => {
    it('the day before periodEnd nothing happens', () => {
      const result = evaluate(pro, policy, [invoice], at('2026-04-08'));
      expect(result.transitions).toEqual([]);
      expect(result.state).toEqual(pro);
      expect(accessOf(result.state, policy, at('2026-04-08'))).toBe('full');
    });

    it('one millisecond before periodEnd (23:59:59.999 Stockholm) nothing happens', () => {
      expect(evaluate(pro, policy, [], ms(P, -1)).transitions).toEqual([]);
    });

    it('at periodEnd exactly (00:00 Stockholm) it is past_due with grace until periodEnd + 14 days', () => {
      const result = evaluate(pro, policy, [], P);
      expect(result.transitions).toHaveLength(1);
      expect(result.transitions[0]).toMatchObject({
        kind: 'past_due',
        key: `past_due:${P.toISOString()}`,
        from: pro,
      });
      expect(result.state).toEqual({ ...pro, billingStatus: 'past_due', graceUntil: G });
      expect(G.toISOString()).toBe('2026-04-22T22:00:00.000Z');
      expect(result.transitions[0]?.reason).toContain('2026-04-09');
      expect(result.transitions[0]?.reason).toContain('2026-04-23');
    });

    it('on the day of periodEnd (the 03:15 job) and the day after, the same transition with the same key', () => {
      const day = evaluate(pro, policy, [], at('2026-04-09'));
      const after = evaluate(pro, policy, [], at('2026-04-10'));
      expect(day.state).toEqual(pastDue);
      expect(after.state).toEqual(pastDue);
      expect(after.transitions[0]?.key).toBe(day.transitions[0]?.key);
    });

    it('past_due keeps full access and shows the PAYMENT_OVERDUE banner with the days of grace left', () => {
      const now = at('2026-04-10');
      const { state, access } = effectiveState(pro, policy, now);
      expect(access).toBe('full');
      const banner = bannerOf(state, policy, [invoice], now);
      expect(banner).toMatchObject({ level: 'warning', code: 'PAYMENT_OVERDUE', daysLeft: 13 });
      expect(banner?.message.sv).toContain('t.o.m. 2026-04-22');
      expect(banner?.message.en).toContain('through 2026-04-22');
      expect(banner?.message.sv).toContain('Faktura 1042');
    });

    it('is idempotent: evaluating the result again changes nothing', () => {
      const first = evaluate(pro, policy, [], at('2026-04-10'));
      const second = evaluate(first.state, policy, [], at('2026-04-10'));
      expect(second.transitions).toEqual([]);
      expect(second.state).toEqual(first.state);
    });

    it('a Pro without periodEnd never falls due', () => {
      expect(evaluate({ ...pro, periodEnd: null }, policy, [], at('2030-01-01')).transitions).toEqual([]);
    });
  });

  describe('past_due after graceUntil → the fallback of the policy', () => {
    it('the day before graceUntil it is still past_due with full access', () => {
      const now = at('2026-04-22');
      const result = evaluate(pastDue, policy, [], now);
      expect(result.transitions).toEqual([]);
      expect(accessOf(result.state, policy, now)).toBe('full');
    });

    it('on the day of graceUntil: free + suspended (default) and read-only', () => {
      const now = at('2026-04-23');
      const result = evaluate(pastDue, policy, [], now);
      expect(result.transitions.map((t) => t.kind)).toEqual(['grace_expired']);
      expect(result.transitions[0]?.key).toBe(`grace_expired:${G.toISOString()}`);
      expect(result.state).toEqual({
        ...pastDue,
        plan: 'free',
        billingStatus: 'suspended',
        graceUntil: null,
      });
      expect(accessOf(result.state, policy, now)).toBe('read_only');
      expect(bannerOf(result.state, policy, [], now)?.code).toBe('ACCOUNT_SUSPENDED');
    });

    it('at graceUntil exactly it falls; a millisecond before it does not', () => {
      expect(evaluate(pastDue, policy, [], ms(G, -1)).transitions).toEqual([]);
      expect(evaluate(pastDue, policy, [], G).transitions).toHaveLength(1);
    });

    it('the day after graceUntil: the same result, and idempotent', () => {
      const result = evaluate(pastDue, policy, [], at('2026-04-24'));
      expect(result.state.billingStatus).toBe('suspended');
      expect(evaluate(result.state, policy, [], at('2026-04-24')).transitions).toEqual([]);
    });

    it('policy afterGrace=free: free + active, read-only because free is read-only', () => {
      const soft: BillingPolicy = { ...policy, afterGrace: 'free' };
      const now = at('2026-04-23');
      const result = evaluate(pastDue, soft, [], now);
      expect(result.state).toMatchObject({ plan: 'free', billingStatus: 'active' });
      expect(accessOf(result.state, soft, now)).toBe('read_only');
      expect(bannerOf(result.state, soft, [], now)?.code).toBe('READ_ONLY_FREE');
    });

    it('policy afterGrace=free with freeAccess=full: full access; suspended stays read-only regardless', () => {
      const generous: BillingPolicy = { ...policy, afterGrace: 'free', freeAccess: 'full' };
      const now = at('2026-04-23');
      const soft = evaluate(pastDue, generous, [], now).state;
      expect(accessOf(soft, generous, now)).toBe('full');
      expect(bannerOf(soft, generous, [], now)).toBeNull();
      const hard = evaluate(pastDue, { ...generous, afterGrace: 'free_suspended' }, [], now).state;
      expect(accessOf(hard, generous, now)).toBe('read_only');
    });

    it('a late job applies both steps in one run, in order', () => {
      const result = evaluate(pro, policy, [], at('2026-05-20'));
      expect(result.transitions.map((t) => t.kind)).toEqual(['past_due', 'grace_expired']);
      expect(result.state).toMatchObject({ plan: 'free', billingStatus: 'suspended', periodEnd: P });
    });

    it('policy graceDays=0: past_due and the fallback at periodEnd itself', () => {
      const strict: BillingPolicy = { ...policy, graceDays: 0 };
      const result = evaluate(pro, strict, [], P);
      expect(result.transitions.map((t) => t.kind)).toEqual(['past_due', 'grace_expired']);
      expect(evaluate(pro, strict, [], ms(P, -1)).transitions).toEqual([]);
    });

    it('a different grace length moves graceUntil', () => {
      const result = evaluate(pro, { ...policy, graceDays: 7 }, [], P);
      expect(result.state.graceUntil).toEqual(midnight('2026-04-16'));
    });

    it('past_due without graceUntil (nothing decided yet) keeps full access and does not fall', () => {
      const open = { ...pastDue, graceUntil: null };
      const result = evaluate(open, policy, [], at('2030-01-01'));
      expect(result.transitions).toEqual([]);
      expect(accessOf(result.state, policy, at('2030-01-01'))).toBe('full');
    });
  });

  describe('trial after trialEnd → free', () => {
    it('the day before trialEnd: still trial, full access, TRIAL_ENDING banner', () => {
      const now = at('2026-04-30');
      const { state, access } = effectiveState(trial, policy, now);
      expect(state).toEqual(trial);
      expect(access).toBe('full');
      expect(bannerOf(state, policy, [], now)).toMatchObject({
        code: 'TRIAL_ENDING',
        level: 'warning',
        daysLeft: 1,
      });
    });

    it('on the day of trialEnd: free, read-only, with its reason', () => {
      const now = at('2026-05-01');
      const result = evaluate(trial, policy, [], now);
      expect(result.transitions).toHaveLength(1);
      expect(result.transitions[0]).toMatchObject({
        kind: 'trial_expired',
        key: `trial_expired:${T.toISOString()}`,
      });
      expect(result.transitions[0]?.reason).toContain('2026-05-01');
      expect(result.state).toMatchObject({ plan: 'free', billingStatus: 'active', trialEnd: T });
      expect(accessOf(result.state, policy, now)).toBe('read_only');
    });

    it('exactly at trialEnd it ends; the day after it is the same and idempotent', () => {
      expect(evaluate(trial, policy, [], ms(T, -1)).transitions).toEqual([]);
      expect(evaluate(trial, policy, [], T).state.plan).toBe('free');
      const after = evaluate(trial, policy, [], at('2026-05-02'));
      expect(evaluate(after.state, policy, [], at('2026-05-02')).transitions).toEqual([]);
    });

    it('more than 3 days before the end the banner is informational', () => {
      expect(bannerOf(trial, policy, [], at('2026-04-20'))).toMatchObject({
        code: 'TRIAL_ACTIVE',
        level: 'info',
        daysLeft: 11,
      });
    });
  });

  describe('free and suspended never change on their own', () => {
    it.each([free, { ...free, billingStatus: 'suspended' as const, periodEnd: P }])('%o stays', (state) => {
      const result = evaluate(state, policy, [invoice], at('2030-01-01'));
      expect(result.transitions).toEqual([]);
      expect(result.reminders).toEqual([]);
    });

    it('free is read-only by default (READ_ONLY_FREE banner) and full with freeAccess=full', () => {
      expect(accessOf(free, policy, at('2026-04-01'))).toBe('read_only');
      expect(bannerOf(free, policy, [], at('2026-04-01'))?.code).toBe('READ_ONLY_FREE');
      expect(accessOf(free, { ...policy, freeAccess: 'full' }, at('2026-04-01'))).toBe('full');
    });
  });

  describe('reminders', () => {
    it('7 days before periodEnd with an unpaid invoice: once that day begins, not the day before', () => {
      expect(evaluate(pro, policy, [invoice], at('2026-04-01')).reminders).toEqual([]);
      const due = evaluate(pro, policy, [invoice], at('2026-04-02'));
      expect(due.reminders).toEqual([
        { kind: 'period_ending', key: `period_ending:${P.toISOString()}`, boundary: P, daysLeft: 7, invoice },
      ]);
      // later days inside the window yield the same key (the caller sends it once)
      expect(evaluate(pro, policy, [invoice], at('2026-04-05')).reminders[0]?.key).toBe(
        due.reminders[0]?.key,
      );
      expect(bannerOf(pro, policy, [invoice], at('2026-04-02'))).toMatchObject({
        code: 'PERIOD_ENDING',
        daysLeft: 7,
      });
    });

    it('no period reminder without an unpaid invoice, nor once the period has ended', () => {
      expect(evaluate(pro, policy, [], at('2026-04-05')).reminders).toEqual([]);
      expect(bannerOf(pro, policy, [], at('2026-04-05'))).toBeNull();
      expect(evaluate(pro, policy, [invoice], at('2026-04-09')).reminders.map((r) => r.kind)).not.toContain(
        'period_ending',
      );
    });

    it('3 days before graceUntil (the day before the window: none)', () => {
      expect(evaluate(pastDue, policy, [], at('2026-04-19')).reminders).toEqual([]);
      const due = evaluate(pastDue, policy, [invoice], at('2026-04-20'));
      expect(due.reminders).toEqual([
        { kind: 'grace_ending', key: `grace_ending:${G.toISOString()}`, boundary: G, daysLeft: 3, invoice },
      ]);
    });

    it('a trial with 3 days left (the day before: none; on trialEnd: the transition instead)', () => {
      expect(evaluate(trial, policy, [], at('2026-04-27')).reminders).toEqual([]);
      expect(evaluate(trial, policy, [], at('2026-04-28')).reminders).toEqual([
        {
          kind: 'trial_ending',
          key: `trial_ending:${T.toISOString()}`,
          boundary: T,
          daysLeft: 3,
          invoice: null,
        },
      ]);
      expect(evaluate(trial, policy, [], at('2026-05-01')).reminders).toEqual([]);
    });

    it('follow the policy numbers', () => {
      const early: BillingPolicy = { ...policy, periodReminderDays: 10, trialReminderDays: 5 };
      expect(evaluate(pro, early, [invoice], at('2026-03-30')).reminders[0]?.daysLeft).toBe(10);
      expect(evaluate(trial, early, [], at('2026-04-26')).reminders[0]?.kind).toBe('trial_ending');
    });

    it('a late job going past_due reminds about grace if it is already ending', () => {
      const result = evaluate(pro, policy, [], at('2026-04-21'));
      expect(result.transitions.map((t) => t.kind)).toEqual(['past_due']);
      expect(result.reminders.map((r) => r.kind)).toEqual(['grace_ending']);
    });
  });

  describe('payments (mark paid)', () => {
    it('within grace: the new period starts at the old periodEnd', () => {
      const t = applyPayment(pastDue, policy, at('2026-04-15', '10:00'), 'paid');
      expect(t.kind).toBe('payment_received');
      expect(t.to).toEqual({
        plan: 'pro',
        billingStatus: 'active',
        periodEnd: midnight('2026-05-09'),
        graceUntil: null,
        trialEnd: null,
        periodPaid: true,
      });
      expect(t.reason).toContain('previous end 2026-04-09');
    });

    it('on the last day of grace still within; on the graceUntil day from the payment date', () => {
      expect(applyPayment(pastDue, policy, at('2026-04-22', '23:59'), 'paid').to.periodEnd).toEqual(
        midnight('2026-05-09'),
      );
      expect(applyPayment(pastDue, policy, G, 'paid').to.periodEnd).toEqual(midnight('2026-05-23'));
    });

    it('after grace (suspended): the new period starts on the payment date', () => {
      const suspended = evaluate(pastDue, policy, [], at('2026-04-25')).state;
      const t = applyPayment(suspended, policy, at('2026-05-02', '12:00'), 'paid');
      expect(t.to).toMatchObject({ plan: 'pro', billingStatus: 'active', periodEnd: midnight('2026-06-01') });
      expect(accessOf(t.to, policy, at('2026-05-02', '12:00'))).toBe('full');
    });

    it('an early payment of a paid period adds the next period', () => {
      expect(applyPayment(pro, policy, at('2026-04-01'), 'paid').to.periodEnd).toEqual(
        midnight('2026-05-09'),
      );
    });

    it('a payment before the end of a period granted on credit settles that period', () => {
      const onCredit = { ...pro, periodPaid: false };
      const t = applyPayment(onCredit, policy, at('2026-04-01'), 'paid');
      expect(t.to).toMatchObject({ periodEnd: P, periodPaid: true, billingStatus: 'active' });
      expect(t.reason).toContain('settles');
      // once the credit period is over, a late payment follows the grace rule
      expect(
        applyPayment(
          { ...onCredit, billingStatus: 'past_due', graceUntil: G },
          policy,
          at('2026-04-12'),
          'paid',
        ).to.periodEnd,
      ).toEqual(midnight('2026-05-09'));
    });

    it('an account that never had a period starts on the payment date', () => {
      expect(applyPayment(free, policy, at('2026-04-01', '15:00'), 'paid').to.periodEnd).toEqual(
        midnight('2026-05-01'),
      );
      expect(applyPayment(trial, { ...policy, periodDays: 365 }, at('2026-04-01'), 'paid').to).toMatchObject({
        plan: 'pro',
        periodEnd: midnight('2027-04-01'),
        trialEnd: null,
      });
    });
  });

  describe('admin actions', () => {
    const now = at('2026-03-10', '14:00');

    it('grant Pro: active now, until today + periodDays (DST-safe midnight), on credit', () => {
      const t = grantPro(free, policy, now, null, 'admin');
      expect(t.to).toEqual({
        plan: 'pro',
        billingStatus: 'active',
        periodEnd: midnight('2026-04-09'),
        graceUntil: null,
        trialEnd: null,
        periodPaid: false,
      });
      expect(t.reason).toContain('invoiced afterwards');
    });

    it('grant Pro with a periodEnd; an active Pro keeps whether its period is paid; a past_due one is on credit', () => {
      expect(grantPro(free, policy, now, midnight('2026-12-31'), 'admin').to.periodEnd).toEqual(
        midnight('2026-12-31'),
      );
      expect(grantPro(pro, policy, now, midnight('2026-12-31'), 'admin').to.periodPaid).toBe(true);
      expect(grantPro(pastDue, policy, now, null, 'admin').to).toMatchObject({
        billingStatus: 'active',
        graceUntil: null,
        periodPaid: false,
      });
    });

    it('grant a trial: trialEnd is a Stockholm midnight `days` ahead', () => {
      const t = grantTrial(free, now, 14, 'admin');
      expect(t.to).toMatchObject({
        plan: 'trial',
        billingStatus: 'active',
        trialEnd: midnight('2026-03-24'),
      });
      expect(accessOf(t.to, policy, now)).toBe('full');
    });

    it('downgrade: free + active (lifting a suspension); a no-op on plain free', () => {
      const suspended = { ...free, billingStatus: 'suspended' as const };
      expect(downgrade(suspended, now, 'admin')?.to).toMatchObject({ plan: 'free', billingStatus: 'active' });
      expect(downgrade(pro, now, 'admin')?.to).toMatchObject({
        plan: 'free',
        billingStatus: 'active',
        periodEnd: P,
      });
      expect(downgrade(free, now, 'admin')).toBeNull();
    });
  });

  describe('sign-up plan', () => {
    it('free by default; a trial counted from the organization creation under signUpPlan=trial', () => {
      const created = at('2026-03-10', '14:00');
      expect(signUpState(policy, created)).toEqual(free);
      const s = signUpState({ ...policy, signUpPlan: 'trial' }, created);
      expect(s).toMatchObject({ plan: 'trial', trialEnd: midnight('2026-03-24') });
      expect(effectiveState(s, policy, at('2026-03-24')).state.plan).toBe('free');
    });
  });
});
