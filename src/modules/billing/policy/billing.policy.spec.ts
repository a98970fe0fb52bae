import {
  billingPolicyPatchSchema,
  DEFAULT_BILLING_POLICY,
  policyProblem,
  policyRules,
} from './billing.policy';

describe('billing policy', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_BILLING_POLICY).toEqual({
      periodDays: 30,
      graceDays: 14,
      trialDays: 14,
      signUpPlan: 'free',
      afterGrace: 'free_suspended',
      freeAccess: 'read_only',
      periodReminderDays: 7,
      graceReminderDays: 3,
      trialReminderDays: 3,
    });
  });

  it('describes the rules in force in Swedish and English, from the numbers', () => {
    const rules = policyRules(DEFAULT_BILLING_POLICY);
    const byKey = Object.fromEntries(rules.map((r) => [r.key, r]));
    expect(byKey.grace?.sv).toContain('14 dagar');
    expect(byKey.afterGrace?.sv).toContain('spärras');
    expect(byKey.free?.en).toContain('read-only');
    expect(byKey.signUp?.sv).toBe('Nya organisationer börjar på gratisplanen.');
    const other = Object.fromEntries(
      policyRules({
        ...DEFAULT_BILLING_POLICY,
        graceDays: 1,
        afterGrace: 'free',
        freeAccess: 'full',
        signUpPlan: 'trial',
      }).map((r) => [r.key, r]),
    );
    expect(other.grace?.sv).toContain('1 dag ');
    expect(other.afterGrace?.en).toBe('After the grace period the account moves to the free plan.');
    expect(other.free?.sv).toBe('Gratisplanen har full åtkomst.');
    expect(other.signUp?.en).toContain('trial of 14 days');
    for (const rule of rules) expect(rule.sv.length && rule.en.length).toBeTruthy();
  });

  it('refuses an inconsistent policy and an empty or unknown patch', () => {
    expect(policyProblem(DEFAULT_BILLING_POLICY)).toBeNull();
    expect(policyProblem({ ...DEFAULT_BILLING_POLICY, graceDays: 30 })).toMatch(/graceDays/);
    expect(
      policyProblem({ ...DEFAULT_BILLING_POLICY, periodDays: 7, periodReminderDays: 7, graceDays: 3 }),
    ).toMatch(/periodReminderDays/);
    expect(billingPolicyPatchSchema.safeParse({}).success).toBe(false);
    expect(billingPolicyPatchSchema.safeParse({ graceDays: 7, color: 'red' }).success).toBe(false);
    expect(billingPolicyPatchSchema.safeParse({ graceDays: -1 }).success).toBe(false);
    expect(billingPolicyPatchSchema.safeParse({ afterGrace: 'free' }).success).toBe(true);
  });
});
