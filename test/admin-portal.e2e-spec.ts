import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
// playwright-core is the admin portal's dev dependency (admin/package.json): it drives the system's Chromium
// (Debian package `chromium`) and downloads no browser of its own.
import { chromium, type Browser, type Page } from '../admin/node_modules/playwright-core';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';
import { ADMIN_PORTAL_CSP } from '../src/modules/admin-portal/admin-portal.static';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAdminIfStale } = require('../scripts/admin-build.js') as {
  buildAdminIfStale: () => string | null;
};

const ARTIFACTS = join(__dirname, 'artifacts', 'admin-portal');

/** The Chromium to drive: CHROMIUM_PATH, else the Debian/Ubuntu package's binary on PATH. */
function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return null;
}

const executablePath = findChromium();
const describeInBrowser = executablePath ? describe : describe.skip;
if (!executablePath) {
  process.stdout.write(
    'admin portal browser test skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)\n',
  );
}

/** Polls `check` (in Node, through locators) until it holds; the page updates asynchronously. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const plus = (days: number): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(d);
};

describe('admin portal: static files', () => {
  let t: TestApp;
  beforeAll(async () => {
    buildAdminIfStale();
    t = await startTestApp();
  }, 300_000);
  afterAll(() => t.close());

  it('serves index.html at /admin and its routes with a strict CSP; a missing asset is a JSON 404', async () => {
    const index = await t.http.get('/admin').expect(200);
    expect(index.headers['content-security-policy']).toBe(ADMIN_PORTAL_CSP);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.text).toContain('<div id="app">');
    expect(index.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const deep = await t.http.get('/admin/accounts/O000123').expect(200);
    expect(deep.text).toBe(index.text);
    expect(deep.headers['cache-control']).toBe('no-cache');
    const asset = /src="\/admin\/(assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    const js = await t.http.get(`/admin/${asset}`).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const missing = await t.http.get('/admin/assets/nothing-here.js').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await t.http.post('/admin').expect(405);
    // the API is untouched by the portal: its admin routes stay under /api/v1 and need a token
    await t.http.get('/api/v1/admin/billing/overview').expect(401);
  });

  it('the routes added for the portal: figures and the audit search refuse bad input with 4xx', async () => {
    const admin = await createAdmin(t);
    const figures = await t.http.get('/api/v1/admin/billing/figures').set(admin.auth).expect(200);
    expect(figures.body).toMatchObject({
      revenue: { amount: 0, currency: 'SEK', invoices: 0 },
      trialsEnding: { count: 0 },
    });
    const bad = await t.http.get('/api/v1/admin/billing/figures?month=2026-13').set(admin.auth).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await t.http.get('/api/v1/admin/billing/figures?month=2026-11&x=1').set(admin.auth).expect(400);
    const platform = await t.http.get('/api/v1/admin/audit').set(admin.auth).expect(200);
    expect(platform.body.items.every((e: { organizationId: unknown }) => e.organizationId === null)).toBe(
      true,
    );
    const own = await t.http
      .get(`/api/v1/admin/audit?organizationId=${admin.organizationId}&action=organization.created`)
      .set(admin.auth)
      .expect(200);
    expect(own.body.items).toHaveLength(1);
    const unknown = await t.http
      .get('/api/v1/admin/audit?organizationId=%24where')
      .set(admin.auth)
      .expect(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    await t.http.get('/api/v1/admin/audit?action=nope').set(admin.auth).expect(400);
  });
});

describeInBrowser('admin portal in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  let customer: TestUser;
  const cspViolations: string[] = [];

  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildAdminIfStale();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [admin, customer] = await Promise.all([createAdmin(t), createUser(t, { name: 'Karin Kund' })]);
    browser = await chromium.launch({
      executablePath: executablePath!,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=sv-SE'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'sv-SE' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a user who is not a platform admin', async () => {
    await page.goto(`${base}/admin`);
    await page.getByLabel('E-post').fill(customer.email);
    await page.getByLabel('Lösenord').fill(customer.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    const error = page.getByTestId('api-error');
    await error.waitFor();
    expect(await error.locator('.error-code').textContent()).toBe('NOT_PLATFORM_ADMIN');
    expect(await error.textContent()).toContain('inte plattformsadministratör');
    await shot('01-sign-in-refused');
    // the API refuses the same user on its own, whatever a page does
    await t.http.get('/api/v1/admin/billing/overview').set(customer.auth).expect(403);
  });

  it('signs an admin in (Swedish by default) and shows the overview', async () => {
    await page.getByLabel('E-post').fill(admin.email);
    await page.getByLabel('Lösenord').fill(admin.password);
    await page.getByLabel('Lösenord').press('Enter'); // keyboard: Enter submits
    await page.getByTestId('overview').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Översikt');
    expect(await page.getByTestId('revenue').textContent()).toMatch(/0,00\s*kr/);
    await shot('02-overview');
  });

  it('finds the account, gives Pro, registers and pays an invoice, and shows the state after each', async () => {
    await nav('Konton').click();
    await page.getByTestId('account-search').fill(customer.email);
    await page.getByTestId('account-search').press('Enter');
    const row = page.getByTestId('accounts-table').locator('tbody tr');
    await until(
      async () => (await row.count()) === 1 && !!(await row.first().textContent())?.includes(customer.email),
      'the search finds the one account',
    );
    expect(await row.textContent()).toContain('Gratis');
    await shot('03-accounts');
    await row.locator('a').first().click();
    await page.getByTestId('account-state').waitFor();
    expect(await page.getByTestId('plan').textContent()).toBe('Gratis');
    await shot('04-account-free');

    // give Pro until a day 30 days ahead
    await page.getByTestId('action-pro').click();
    await page.getByTestId('pro-period-end').fill(plus(30));
    await shot('05-confirm-give-pro');
    await page.getByTestId('confirm').click();
    await page.getByTestId('state-after').waitFor();
    expect(await page.getByTestId('state-after').textContent()).toContain('Pro');
    await until(async () => (await page.getByTestId('plan').textContent()) === 'Pro', 'the plan is Pro');
    expect(await page.getByTestId('period-end').textContent()).toBe(plus(29));

    // register an invoice of 299 kr, then mark it paid
    await page.getByTestId('action-invoice').click();
    await page.getByTestId('invoice-id').fill('F-1001');
    await page.getByTestId('invoice-amount').fill('299');
    await page.getByTestId('invoice-due').fill(plus(10));
    await page.getByTestId('confirm').click();
    await page.getByTestId('state-after').getByText('F-1001').waitFor();
    await page.getByTestId('mark-paid-F-1001').waitFor();
    expect(await page.getByTestId('invoices-table').textContent()).toContain('299,00');
    await page.getByTestId('mark-paid-F-1001').click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('state-after').getByText('Markera betald F-1001').waitFor();
    await until(
      async () =>
        (await page.getByTestId('mark-paid-F-1001').count()) === 0 &&
        !!(await page.getByTestId('invoices-table').locator('tbody tr').first().textContent())?.includes(
          'Betald',
        ),
      'the invoice shows as paid',
    );
    expect(await page.getByTestId('plan').textContent()).toBe('Pro');
    expect(await page.getByTestId('billing-status').textContent()).toBe('Aktiv');
    await shot('06-account-pro-paid');

    // the API agrees
    const view = await t.http
      .get(`/api/v1/admin/billing/accounts/${customer.organizationId}`)
      .set(admin.auth)
      .expect(200);
    expect(view.body.account).toMatchObject({
      plan: 'pro',
      billingStatus: 'active',
      currentPeriodPaid: true,
    });
    expect(view.body.account.invoices[0]).toMatchObject({
      invoiceId: 'F-1001',
      amount: 29_900,
      status: 'paid',
    });
  });

  it("shows the API's error code and message (an invoice number registered twice)", async () => {
    await page.getByTestId('action-invoice').click();
    await page.getByTestId('invoice-id').fill('F-1001');
    await page.getByTestId('invoice-amount').fill('100');
    await page.getByTestId('confirm').click();
    const error = page.getByTestId('confirm-dialog').getByTestId('api-error');
    await error.waitFor();
    expect(await error.locator('.error-code').textContent()).toBe('INVOICE_EXISTS');
    expect((await error.locator('.error-message').textContent())?.length).toBeGreaterThan(0);
    await shot('07-api-error');
    await page.keyboard.press('Escape'); // keyboard: Esc closes the dialog
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  });

  it('shows revenue on the overview, the policy, users, system health and the audit log; verifies a chain', async () => {
    await nav('Översikt').click();
    await page.getByTestId('revenue').waitFor();
    expect(await page.getByTestId('revenue').textContent()).toMatch(/299,00\s*kr/);
    await shot('08-overview-revenue');

    await nav('Betalningspolicy').click();
    await page.getByTestId('policy-card').waitFor();
    await page.getByLabel('Respit (dagar)').fill('10');
    await page.getByTestId('policy-effects').waitFor();
    expect(await page.getByTestId('policy-effects').textContent()).toContain('14 → 10');
    await shot('09-policy-review');
    await page.getByRole('button', { name: 'Spara…' }).click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('i 10 dagar');
    await page.getByTestId('confirm').click();
    await until(
      async () => !!(await page.getByTestId('policy-card').textContent())?.includes('i 10 dagar (respit)'),
      'the rules in force say 10 days of grace',
    );

    await nav('Användare').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('user-search').fill(customer.email);
    await page.getByTestId('user-search').press('Enter');
    await until(
      async () => (await page.getByTestId('users-table').locator('tbody tr').count()) === 1,
      'the user search finds one user',
    );
    await page.getByRole('button', { name: 'Visa organisationer' }).click();
    await page.getByTestId('users-table').getByText('F-1001').waitFor();
    await shot('10-users');
    // soft delete and restore, each confirmed
    await page.getByRole('button', { name: 'Ta bort' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('users-table').getByText('Borttagen').waitFor();
    await shot('10b-user-deleted');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: customer.email, password: customer.password })
      .expect(401);
    await page.getByRole('button', { name: 'Återställ' }).click();
    await page.getByTestId('confirm').click();
    await page.getByRole('button', { name: 'Ta bort' }).waitFor();
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: customer.email, password: customer.password })
      .expect(200);

    await nav('System').click();
    await page.getByTestId('system-status').waitFor();
    await page.getByTestId('component-database').waitFor();
    await shot('11-system');

    await nav('Granskningslogg').click();
    await page.getByTestId('audit-chain').fill(customer.organizationId);
    await page.getByTestId('audit-chain').press('Enter');
    await page.getByTestId('audit-table').getByText('billing.invoice_created').waitFor();
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verification').waitFor();
    expect(await page.getByTestId('audit-verification').textContent()).toContain('Kedjan är hel');
    await shot('12-audit');

    // an entry changed behind the API's back: the page names the first entry that breaks the chain
    const audit = t.db.collection<{ _id: string; chain: string; seq: number; action: string }>(
      'audit_entries',
    );
    const second = await audit.findOne({ chain: customer.organizationId, seq: 2 });
    await audit.updateOne({ _id: second!._id }, { $set: { action: 'billing.downgraded' } });
    await page.getByTestId('audit-verify').click();
    await until(
      async () => !!(await page.getByTestId('audit-verification').textContent())?.includes('Kedjan bryts'),
      'the verification shows the break',
    );
    const verdict = await page.getByTestId('audit-verification').textContent();
    expect(verdict).toContain(second!._id);
    expect(verdict).toContain('hash_mismatch');
    await until(
      async () => !!(await page.locator('tr.broken').textContent())?.includes('billing.downgraded'),
      'the broken entry is marked in the list',
    );
    await shot('12b-audit-chain-broken');
  });

  it('switches to English and signs out', async () => {
    await page.getByTestId('lang').first().selectOption('en');
    await nav('Overview').click();
    await page.getByTestId('overview').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Overview');
    await shot('13-overview-english');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});
