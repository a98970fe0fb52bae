import type { TestApp } from './test-app';

/**
 * Test shortcut: puts an organization on an active Pro plan by writing its billing account directly (collection
 * `billing_accounts`, `_id` = organization id), so specs of other modules can write data. The billing e2e spec
 * covers the real admin flow (`POST /api/v1/admin/billing/accounts/:orgId/pro`).
 */
export async function activatePro(t: TestApp, organizationId: string, days = 30): Promise<void> {
  const now = new Date();
  await t.db.collection<{ _id: string }>('billing_accounts').updateOne(
    { _id: organizationId },
    {
      $set: {
        plan: 'pro',
        billingStatus: 'active',
        periodEnd: new Date(now.getTime() + days * 24 * 3600 * 1000),
        graceUntil: null,
        trialEnd: null,
        provider: 'manual',
        updatedAt: now,
      },
      $setOnInsert: { createdAt: now },
    },
    { upsert: true },
  );
}
