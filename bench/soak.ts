/**
 * bench/soak — a long, realistic day of one household against the app `npm start` runs, over HTTP only, with a
 * liveness watcher (issue 9). Phases, all on ONE organization:
 *
 *   register    a new user (mail → verify → login); the platform admin (ADMIN_EMAILS) gives its household Pro
 *   bills       30 suppliers, SOAK_BILLS (500) bills with OCR/invoice numbers, 100 card purchases (bulk)
 *   imports     SOAK_STATEMENTS (5) camt.053 statements of SOAK_LINES (1 000) lines on two bank accounts, all
 *               uploaded at once (several imports in flight is what deadlocked FerretDB), until every one is done
 *   matching    every bill / purchase line suggests its own item first
 *   approvals   SOAK_APPROVALS (100): 70 % bills, 20 % purchases, 10 % salaries booked as new transactions
 *   undos       SOAK_UNDOS (50) of those approvals undone (correcting vouchers)
 *   uploads     SOAK_UPLOADS (50) receipts: JPEGs on open bills and on vouchers, PDFs on nothing; until `ready`
 *   trash       10 bills (their receipts go along) and 10 loose PDFs deleted, half of each restored; a receipt of
 *               a voucher cannot be deleted
 *   stats       /economy/stats by month, category and supplier, /economy/dashboard, the voucher list
 *
 * Meanwhile a watcher calls GET /health/ready and GET /api/v1/me every 500 ms (10 s timeout). A stall is a watched
 * call that takes 2 s or more, fails or times out. At the end the soak prints p50/p99 of the watched read (GET /me),
 * the stall count, each phase's duration and the counts it checked through the API and in the database (bills,
 * lines per import, distinct dedup keys, approvals, vouchers and corrections, uploads, trash). Targets: 0 stalls,
 * 0 lost or doubled records, every import done. Exit code 1 when a target is missed.
 *
 * 1. Start the app (embedded default: FerretDB/SQLite from `npm start`) with the admin, the SMTP receiver this
 *    script runs, and rate limits raised (the defaults — 20 writes a minute — would stretch 500 bills over 25 min):
 *
 *      ADMIN_EMAILS=soak-admin@westwallet.test SMTP_URL=smtp://127.0.0.1:2526 \
 *      RATE_LIMIT_USER_PER_MIN=100000 RATE_LIMIT_USER_WRITES_PER_MIN=100000 \
 *      RATE_LIMIT_USER_UPLOADS_PER_MIN=100000 RATE_LIMIT_AUTH_IP_PER_MIN=1000 RATE_LIMIT_AUTH_EMAIL_PER_MIN=100 \
 *      npm start
 *
 *    On FerretDB's PostgreSQL backend, add FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:5432/<db> (an
 *    existing UTF8 / C.UTF-8 database), or MONGODB_URI=<a FerretDB or MongoDB of your own>.
 *
 * 2. In another terminal:  npm run soak
 *
 *    SOAK_BASE_URL  the app (default http://127.0.0.1:3000)
 *    MONGODB_URI    the database the app uses, for the counts (default: the one `npm start` wrote to
 *                   .local/dev/services.json)
 *    SOAK_SMTP_PORT the SMTP receiver's port (default 2526, as SMTP_URL above)
 *    SOAK_ADMIN_EMAIL / SOAK_ADMIN_PASSWORD  the platform admin (default soak-admin@westwallet.test; the soak
 *                   registers it on first use and signs in afterwards)
 *    SOAK_BILLS, SOAK_STATEMENTS, SOAK_LINES, SOAK_APPROVALS, SOAK_UNDOS, SOAK_UPLOADS  the sizes above
 *    SOAK_IMPORT_TIMEOUT_S  how long the imports may take (default 3600)
 *
 * Each run registers a new user and works in its new household, so runs can follow each other on one database.
 * Ctrl+C ends the running phase and prints what was measured so far (exit code 1).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import sharp from 'sharp';
import { MailCatcher } from '../test/helpers/mail-catcher';
import {
  addDays,
  camt053,
  inPool,
  percentile,
  planBills,
  planPurchases,
  planStatement,
  seededRandom,
  SUPPLIERS,
  type StatementLine,
} from '../test/helpers/household';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const BASE_URL = (process.env.SOAK_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const SMTP_PORT = env('SOAK_SMTP_PORT', 2526);
const ADMIN_EMAIL = process.env.SOAK_ADMIN_EMAIL ?? 'soak-admin@westwallet.test';
const ADMIN_PASSWORD = process.env.SOAK_ADMIN_PASSWORD ?? 'soak-admin-password-2026';
const BILLS = env('SOAK_BILLS', 500);
const STATEMENTS = env('SOAK_STATEMENTS', 5);
const LINES = env('SOAK_LINES', 1_000);
const APPROVALS = env('SOAK_APPROVALS', 100);
const UNDOS = env('SOAK_UNDOS', 50);
const UPLOADS = env('SOAK_UPLOADS', 50);
const PURCHASES = 100;
const IMPORT_TIMEOUT_MS = env('SOAK_IMPORT_TIMEOUT_S', 3_600) * 1000;
const REQUEST_TIMEOUT_MS = 120_000;
const WATCH_EVERY_MS = 500;
const WATCH_TIMEOUT_MS = 10_000;
const STALL_MS = 2_000;
const PARALLEL = 4;

function mongoUri(): string {
  if (process.env.MONGODB_URI) return process.env.MONGODB_URI;
  const state = join(__dirname, '..', '.local', 'dev', 'services.json');
  if (existsSync(state)) {
    const uri = (JSON.parse(readFileSync(state, 'utf8')) as { mongodbUri?: string }).mongodbUri;
    if (uri) return uri;
  }
  throw new Error(
    'Set MONGODB_URI to the database the app uses (no .local/dev/services.json from `npm start`)',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

// The API's JSON bodies, read field by field (supertest types them the same way).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Reply {
  status: number;
  body: Json;
}

class HttpError extends Error {}

async function call(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; form?: FormData; timeoutMs?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | FormData | undefined;
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (SIE file, HTML error page)
  }
  return { status: res.status, body: parsed };
}

/** The call, which must answer `expected`. */
async function must(
  expected: number,
  method: string,
  path: string,
  options: Parameters<typeof call>[2] = {},
) {
  const reply = await call(method, path, options);
  if (reply.status !== expected)
    throw new HttpError(
      `${method} ${path}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 500)}`,
    );
  return reply.body;
}

/** A signed-in user whose access token is renewed (refresh rotation) before it expires. */
class Session {
  private refreshing: Promise<void> | null = null;
  private renewAt = 0;
  constructor(
    readonly email: string,
    private accessToken: string,
    private refreshToken: string,
    expiresIn: number,
  ) {
    this.renewAt = Date.now() + expiresIn * 500;
  }

  static async login(email: string, password: string): Promise<Session> {
    const body = await must(200, 'POST', '/api/v1/auth/login', { json: { email, password } });
    return new Session(email, body.accessToken, body.refreshToken, body.expiresIn);
  }

  async token(): Promise<string> {
    if (Date.now() >= this.renewAt) {
      this.refreshing ??= (async () => {
        const body = await must(200, 'POST', '/api/v1/auth/refresh', {
          json: { refreshToken: this.refreshToken },
        });
        this.accessToken = body.accessToken;
        this.refreshToken = body.refreshToken;
        this.renewAt = Date.now() + body.expiresIn * 500;
      })().finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    return this.accessToken;
  }

  async call(method: string, path: string, options: Parameters<typeof call>[2] = {}) {
    return call(method, `/api/v1${path}`, { ...options, token: await this.token() });
  }

  async must(expected: number, method: string, path: string, options: Parameters<typeof call>[2] = {}) {
    return must(expected, method, `/api/v1${path}`, { ...options, token: await this.token() });
  }

  /** Every page of a list endpoint. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.must(
        200,
        'GET',
        `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...(page.items as T[]));
      cursor = page.nextCursor as string | null;
    } while (cursor);
    return items;
  }
}

async function register(mail: MailCatcher, email: string, password: string, name: string) {
  const reply = await call('POST', '/api/v1/auth/register', { json: { email, password, name } });
  if (reply.status === 409 && reply.body?.code === 'EMAIL_TAKEN') return null;
  if (reply.status !== 201)
    throw new HttpError(`register ${email}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  const message = await mail.waitFor(email, /Bekräfta|Confirm/, 60_000);
  await must(200, 'POST', '/api/v1/auth/verify-email', {
    json: { token: MailCatcher.token(message), password },
  });
  return reply.body as { id: string; defaultOrganizationId: string };
}

// ---------------------------------------------------------------------------------------------------------------
// watcher

interface Watched {
  path: string;
  ms: number;
  status: number;
  /** The phase running when the call was made. */
  phase: string;
  /** Seconds since the soak started. */
  at: number;
}

class Watcher {
  readonly calls: Watched[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  constructor(private readonly session: Session) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        const token = await this.session.token().catch(() => '');
        await Promise.all(
          ['/health/ready', '/api/v1/me'].map(async (path) => {
            const t0 = performance.now();
            let status = 0; // failed or timed out
            try {
              status = (await call('GET', path, { token, timeoutMs: WATCH_TIMEOUT_MS })).status;
            } catch {
              // counted as a stall below
            }
            this.calls.push({
              path,
              ms: performance.now() - t0,
              status,
              phase: currentPhase,
              at: (started - soakStarted) / 1000,
            });
          }),
        );
        await sleep(Math.max(0, WATCH_EVERY_MS - (Date.now() - started)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  stalls(): Watched[] {
    return this.calls.filter((c) => c.status !== 200 || c.ms >= STALL_MS);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// checks and phases

const checks: { what: string; expected: number; api?: number; db?: number }[] = [];
const problems: string[] = [];
function check(what: string, expected: number, seen: { api?: number; db?: number }): void {
  checks.push({ what, expected, ...seen });
  for (const [where, value] of Object.entries(seen))
    if (value !== expected) problems.push(`${what}: expected ${expected}, ${where} has ${value}`);
}

const phases: { name: string; seconds: number }[] = [];
const soakStarted = Date.now();
let currentPhase = 'start';
const importTimes: string[] = [];

/** Ctrl+C (or SIGTERM) ends the running phase: the soak then prints what it measured so far and exits 1. */
const interrupted = new Promise<never>((_, reject) => {
  const stop = (signal: string) => reject(new Error(`interrupted by ${signal}`));
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
});
interrupted.catch(() => undefined);

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  currentPhase = name;
  process.stdout.write(`[soak] ${name} …\n`);
  try {
    return await Promise.race([fn(), interrupted]);
  } finally {
    phases.push({ name, seconds: (Date.now() - t0) / 1000 });
    process.stdout.write(`[soak] ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

/** A small receipt photo (a few KB) with some noise, so no two are alike. */
async function receiptJpeg(n: number): Promise<Buffer> {
  const noise = randomBytes(64 * 48 * 3);
  return sharp(noise, { raw: { width: 64, height: 48, channels: 3 } })
    .resize(640, 480)
    .jpeg({ quality: 70 })
    .withMetadata({ orientation: 1 + (n % 2) * 5 })
    .toBuffer();
}

function receiptPdf(n: number): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n` +
      `% kvitto ${n} ${randomBytes(8).toString('hex')}\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );
}

async function main(): Promise<number> {
  const uri = mongoUri();
  const runId = randomBytes(3).toString('hex');
  process.stdout.write(
    `[soak] app ${BASE_URL}, database ${uri.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@')}\n` +
      `[soak] expects the app started with ADMIN_EMAILS=${ADMIN_EMAIL}, SMTP_URL=smtp://127.0.0.1:${SMTP_PORT} and ` +
      `raised RATE_LIMIT_* (see the header of bench/soak.ts)\n` +
      `[soak] run ${runId}: ${BILLS} bills, ${STATEMENTS} × ${LINES} lines, ${APPROVALS} approvals, ${UNDOS} undos, ` +
      `${UPLOADS} uploads\n`,
  );
  const ready = await call('GET', '/health/ready', { timeoutMs: 10_000 }).catch((error: Error) => {
    throw new Error(
      `The app does not answer at ${BASE_URL} (${error.message}); start it first (see the header)`,
    );
  });
  if (ready.status !== 200) throw new Error(`GET /health/ready answered ${ready.status}`);

  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  const db = connection.db!;
  const mail = new MailCatcher();
  await mail.start(SMTP_PORT);
  let watcher: Watcher | null = null;
  const started = Date.now();
  try {
    // ------------------------------------------------------------------ register + Pro
    const { user, organizationId } = await phase('register', async () => {
      const email = `soak-${runId}@example.se`;
      const password = `soak-${randomBytes(8).toString('hex')}`;
      const registered = await register(mail, email, password, 'Karin Lindqvist');
      if (!registered) throw new Error(`${email} is taken`);
      const user = await Session.login(email, password);
      await register(mail, ADMIN_EMAIL, ADMIN_PASSWORD, 'Soak Admin');
      const admin = await Session.login(ADMIN_EMAIL, ADMIN_PASSWORD).catch((error: Error) => {
        throw new Error(
          `${error.message}\n(the admin ${ADMIN_EMAIL} exists with another password: set SOAK_ADMIN_PASSWORD)`,
        );
      });
      const me = await admin.must(200, 'GET', '/me');
      if (me.platformRole !== 'admin' && me.role !== 'admin')
        throw new Error(
          `${ADMIN_EMAIL} is not a platform admin: start the app with ADMIN_EMAILS=${ADMIN_EMAIL}`,
        );
      await admin.must(200, 'POST', `/admin/billing/accounts/${registered.defaultOrganizationId}/pro`, {
        json: {},
      });
      const billing = await user.must(200, 'GET', '/billing');
      if (billing.plan !== 'pro') throw new Error(`the household is on ${billing.plan}, not pro`);
      return { user, organizationId: registered.defaultOrganizationId };
    });
    watcher = new Watcher(user);
    watcher.start();
    const org = { organizationId };

    // ------------------------------------------------------------------ data plan
    const rand = seededRandom(Number.parseInt(runId, 16));
    const today = new Date().toISOString().slice(0, 10);
    const firstDay = `${addDays(today, -30 * STATEMENTS - 5).slice(0, 8)}01`;
    const days = 30 * STATEMENTS;
    const bills = planBills(rand, BILLS, addDays(firstDay, 4), days - 6);
    const purchases = planPurchases(rand, PURCHASES, firstDay, days);
    const statements = Array.from({ length: STATEMENTS }, (_, k) => {
      const from = addDays(firstDay, 30 * k);
      const inWindow = (date: string) => date >= from && date < addDays(from, 30);
      return {
        account: k < Math.ceil(STATEMENTS / 2) ? 0 : 1,
        lines: planStatement(rand, {
          size: LINES,
          from,
          days: 30,
          refPrefix: `SOAK${runId}-${k + 1}`,
          bills: bills.filter((b) => inWindow(b.dueDate) || (k === STATEMENTS - 1 && b.dueDate >= from)),
          purchases: purchases.filter((p) => inWindow(p.date) || (k === STATEMENTS - 1 && p.date >= from)),
        }),
      };
    });

    // ------------------------------------------------------------------ bills
    const { billIds, purchaseIds } = await phase('bills', async () => {
      const supplierIds = await inPool(SUPPLIERS, PARALLEL, async (s) => {
        const body = await user.must(201, 'POST', '/suppliers', {
          json: { name: s.name, aliases: [s.bankName.toLowerCase()] },
        });
        return body.id as string;
      });
      const billIds = await inPool(bills, PARALLEL, async (b) => {
        const body = await user.must(201, 'POST', '/bills', {
          json: {
            supplierId: supplierIds[b.supplier],
            invoiceNumber: b.invoiceNumber,
            ...(b.ocr ? { ocr: b.ocr } : {}),
            amount: b.amount,
            dueDate: b.dueDate,
          },
        });
        return body.id as string;
      });
      const created = await user.must(201, 'POST', '/transactions/bulk', {
        json: {
          items: purchases.map((p) => ({
            date: p.date,
            amount: p.amount,
            type: 'expense',
            description: p.shop,
          })),
        },
      });
      return { billIds, purchaseIds: created.ids as string[] };
    });

    // ------------------------------------------------------------------ imports
    const importIds = await phase('imports', async () => {
      const accountIds: string[] = [];
      for (const [name, clearingNumber, accountNumber] of [
        ['Lönekonto', '8327-9', '914 123 456-7'],
        ['Gemensamt hushållskonto', '6152', '123 456 789'],
      ]) {
        accountIds.push(
          (
            await user.must(201, 'POST', '/bank/accounts', {
              json: { name, bank: 'Swedbank', clearingNumber, accountNumber },
            })
          ).id as string,
        );
      }
      const ids = await Promise.all(
        statements.map(async (s, k) => {
          const form = new FormData();
          const file = camt053(s.lines, {
            iban: `SE4550000000058398257${String(k).padStart(3, '0')}`,
            statementId: `SOAK-${runId}-${k + 1}`,
          });
          form.append('file', new Blob([file], { type: 'application/xml' }), `kontoutdrag-${k + 1}.xml`);
          const body = await user.must(202, 'POST', `/bank/accounts/${accountIds[s.account]}/imports`, {
            form,
          });
          return body.id as string;
        }),
      );
      const deadline = Date.now() + IMPORT_TIMEOUT_MS;
      const finished = new Map<string, Json>();
      let lastReport = 0;
      while (finished.size < ids.length) {
        const seen: string[] = [];
        for (const id of ids) {
          const imp = finished.get(id) ?? (await user.must(200, 'GET', `/bank/imports/${id}`));
          if (imp.status === 'done' || imp.status === 'failed') finished.set(id, imp);
          seen.push(`${imp.status} ${imp.progress.processed}/${imp.progress.total}`);
        }
        if (Date.now() - lastReport > 30_000) {
          lastReport = Date.now();
          process.stdout.write(
            `[soak]   ${Math.round((Date.now() - started) / 1000)} s: ${seen.join(', ')}\n`,
          );
        }
        if (finished.size < ids.length && Date.now() > deadline)
          throw new Error(`imports not finished after ${IMPORT_TIMEOUT_MS / 1000} s: ${seen.join(', ')}`);
        if (finished.size < ids.length) await sleep(2_000);
      }
      ids.forEach((id, k) => {
        const imp = finished.get(id);
        importTimes.push(
          `import ${k + 1}: ${imp.counts.created} lines, ${imp.status} after ` +
            `${((Date.parse(imp.finishedAt) - Date.parse(imp.createdAt)) / 1000).toFixed(1)} s`,
        );
        if (imp.status !== 'done') problems.push(`import ${k + 1} (${id}) ${imp.status}: ${imp.error}`);
        check(`import ${k + 1}: lines created (import counts)`, statements[k].lines.length, {
          api: imp.counts.created,
        });
        check(`import ${k + 1}: duplicates + rejected`, 0, {
          api: imp.counts.duplicates + imp.counts.rejected,
        });
      });
      return ids;
    });

    // ------------------------------------------------------------------ lines stored once + matching
    const byRef = new Map<string, StatementLine>(statements.flatMap((s) => s.lines.map((l) => [l.ref, l])));
    type Line = {
      id: string;
      bankReference: string;
      status: string;
      suggestions: { candidate: { type: string; id: string } }[];
    };
    const lines = await phase('matching', async () => {
      const all: Line[] = [];
      for (const [k, id] of importIds.entries()) {
        const viaApi = await user.all<Line>(`/bank/lines?importId=${id}`);
        all.push(...viaApi);
        const inDb = await db.collection('bank_lines').countDocuments({ ...org, importId: id });
        check(`import ${k + 1}: lines stored`, statements[k].lines.length, { api: viaApi.length, db: inDb });
      }
      const total = statements.reduce((n, s) => n + s.lines.length, 0);
      check('bank lines in the organization', total, {
        api: new Set(all.map((l) => l.bankReference)).size,
        db: await db.collection('bank_lines').countDocuments(org),
      });
      check('distinct dedup keys', total, {
        db: (await db.collection('bank_lines').distinct('dedupKey', org)).length,
      });
      let right = 0;
      let paying = 0;
      for (const l of all) {
        const planned = byRef.get(l.bankReference);
        if (planned?.billIndex === undefined && planned?.purchaseIndex === undefined) continue;
        paying++;
        const expected =
          planned.billIndex !== undefined ? billIds[planned.billIndex] : purchaseIds[planned.purchaseIndex!];
        if (l.status === 'suggested' && l.suggestions[0]?.candidate.id === expected) right++;
      }
      check('bill / purchase lines whose first suggestion is their item', paying, { api: right });
      return all.map((l) => ({ ...l, planned: byRef.get(l.bankReference)! }));
    });

    // ------------------------------------------------------------------ approvals
    const incomeCategory = (await user.must(200, 'GET', '/categories?kind=income')) as {
      id: string;
      name: string;
    }[];
    const salaryCategory = incomeCategory.find((c) => c.name === 'Lön') ?? incomeCategory[0];
    const nBills = Math.round(APPROVALS * 0.7);
    const nPurchases = Math.round(APPROVALS * 0.2);
    const open = lines.filter((l) => l.status === 'suggested');
    const chosen: { line: (typeof lines)[number]; kind: 'bill' | 'purchase' | 'salary'; body: object }[] = [
      ...open
        .filter((l) => l.planned.billIndex !== undefined)
        .slice(0, nBills)
        .map((l) => ({
          line: l,
          kind: 'bill' as const,
          body: { candidateId: billIds[l.planned.billIndex!] },
        })),
      ...open
        .filter((l) => l.planned.purchaseIndex !== undefined)
        .slice(0, nPurchases)
        .map((l) => ({
          line: l,
          kind: 'purchase' as const,
          body: { candidateId: purchaseIds[l.planned.purchaseIndex!] },
        })),
      ...lines
        .filter((l) => l.planned.text === 'LÖN')
        .slice(0, APPROVALS - nBills - nPurchases)
        .map((l) => ({
          line: l,
          kind: 'salary' as const,
          body: { create: { categoryId: salaryCategory.id } },
        })),
    ];
    if (chosen.length !== APPROVALS)
      problems.push(`only ${chosen.length} lines to approve, not ${APPROVALS}`);
    const approvals = await phase('approvals', () =>
      inPool(chosen, PARALLEL, async ({ line, kind, body }) => {
        const result = await user.must(200, 'POST', `/bank/lines/${line.id}/approve`, { json: body });
        return {
          line,
          kind,
          match: result.match as { id: string; candidate: { type: string; id: string } },
          voucher: result.voucher as { id: string; fiscalYear: number },
        };
      }),
    );
    // Every other approval is undone (up to SOAK_UNDOS): bills, purchases and salaries alike.
    const toUndo = approvals.filter((_, i) => i % 2 === 1).slice(0, UNDOS);
    const undone = await phase('undos', () =>
      inPool(toUndo, PARALLEL, (a) => user.must(200, 'POST', `/bank/matches/${a.match.id}/undo`)),
    );
    const kept = approvals.filter((a) => !toUndo.includes(a));

    // ------------------------------------------------------------------ uploads
    // Receipts go on bills no approval touched (so they can be deleted), on kept vouchers, and on nothing.
    const approvedBillIds = new Set(
      approvals.filter((a) => a.kind === 'bill').map((a) => a.match.candidate.id),
    );
    const looseBills = billIds.filter((id) => !approvedBillIds.has(id));
    const nOnBills = Math.round(UPLOADS * 0.5);
    const nOnVouchers = Math.min(kept.length, Math.round(UPLOADS * 0.3));
    const nLoose = UPLOADS - nOnBills - nOnVouchers;
    const targets = [
      ...looseBills.slice(0, nOnBills).map((id) => ({ recordId: id, kind: 'bill' as const })),
      ...kept.slice(0, nOnVouchers).map((a) => ({ recordId: a.voucher.id, kind: 'voucher' as const })),
      ...Array.from({ length: nLoose }, () => ({ recordId: null, kind: 'loose' as const })),
    ];
    const uploads = await phase('uploads', async () => {
      const created = await inPool(targets, PARALLEL, async (target, n) => {
        const form = new FormData();
        if (target.recordId) form.append('recordId', target.recordId);
        if (target.kind === 'loose')
          form.append('file', new Blob([receiptPdf(n)], { type: 'application/pdf' }), `kvitto-${n}.pdf`);
        else form.append('file', new Blob([await receiptJpeg(n)], { type: 'image/jpeg' }), `kvitto-${n}.jpg`);
        const body = await user.must(201, 'POST', '/uploads', { form });
        return { ...target, id: body.id as string };
      });
      const deadline = Date.now() + 600_000;
      for (const u of created) {
        for (;;) {
          const body = await user.must(200, 'GET', `/uploads/${u.id}`);
          if (body.status === 'ready') break;
          if (body.status === 'failed') {
            problems.push(`upload ${u.id} failed: ${JSON.stringify(body.failure)}`);
            break;
          }
          if (Date.now() > deadline) throw new Error(`upload ${u.id} still ${body.status}`);
          await sleep(500);
        }
      }
      return created;
    });

    // ------------------------------------------------------------------ trash
    const trash = await phase('trash', async () => {
      const billsWithReceipt = uploads.filter((u) => u.kind === 'bill').slice(0, 10);
      const loose = uploads.filter((u) => u.kind === 'loose').slice(0, 10);
      for (const u of billsWithReceipt) await user.must(200, 'DELETE', `/bills/${u.recordId}`);
      for (const u of loose) await user.must(200, 'DELETE', `/uploads/${u.id}`);
      const onVoucher = uploads.find((u) => u.kind === 'voucher');
      if (onVoucher) {
        const refused = await user.call('DELETE', `/uploads/${onVoucher.id}`);
        if (refused.status !== 409)
          problems.push(`deleting a voucher's receipt answered ${refused.status}, not 409`);
      }
      const restoredBills = billsWithReceipt.slice(0, Math.floor(billsWithReceipt.length / 2));
      const restoredLoose = loose.slice(0, Math.floor(loose.length / 2));
      for (const u of restoredBills) await user.must(200, 'POST', `/trash/${u.recordId}/restore`);
      for (const u of restoredLoose) await user.must(200, 'POST', `/trash/${u.id}/restore`);
      return {
        deletedBills: billsWithReceipt.length - restoredBills.length,
        deletedLoose: loose.length - restoredLoose.length,
      };
    });

    // ------------------------------------------------------------------ stats
    await phase('stats', async () => {
      const to = today;
      for (const groupBy of ['month', 'category', 'supplier'])
        await user.must(200, 'GET', `/economy/stats?from=${firstDay}&to=${to}&groupBy=${groupBy}`);
      await user.must(200, 'GET', '/economy/dashboard');
      const stats = await user.must(200, 'GET', `/economy/stats?from=${firstDay}&to=${to}&groupBy=month`);
      const txInDb = await db
        .collection('transactions')
        .countDocuments({ ...org, isDeleted: false, date: { $gte: firstDay, $lte: to } });
      check('transactions in the statistics', txInDb, { api: stats.totals.count });
    });

    // ------------------------------------------------------------------ counts
    await phase('counts', async () => {
      const liveBills = BILLS - trash.deletedBills;
      check('bills (live)', liveBills, {
        api: (await user.all('/bills')).length,
        db: await db.collection('bills').countDocuments({ ...org, isDeleted: false }),
      });
      check('bills in the trash', trash.deletedBills, {
        db: await db.collection('bills').countDocuments({ ...org, isDeleted: true }),
      });
      check('bills paid by the bank', kept.filter((a) => a.kind === 'bill').length, {
        api: (await user.all<{ bankLineId: string | null }>('/bills?status=paid')).filter((b) => b.bankLineId)
          .length,
      });
      check('purchases linked to their bank line', kept.filter((a) => a.kind === 'purchase').length, {
        db: await db
          .collection('transactions')
          .countDocuments({ ...org, _id: { $in: purchaseIds as never[] }, bankLineId: { $ne: null } }),
      });
      check('matches active', approvals.length - undone.length, {
        db: await db.collection('bank_matches').countDocuments({ ...org, state: 'active' }),
      });
      check('matches undone', undone.length, {
        db: await db.collection('bank_matches').countDocuments({ ...org, state: 'undone' }),
      });
      check('lines matched', approvals.length - undone.length, {
        db: await db.collection('bank_lines').countDocuments({ ...org, status: 'matched' }),
      });
      const years = [
        ...new Set(approvals.map((a) => a.voucher.fiscalYear).concat(new Date().getUTCFullYear())),
      ];
      let listed = 0;
      for (const year of years) {
        const vouchers = await user.all<{ number: number }>(`/vouchers?fiscalYear=${year}`);
        listed += vouchers.length;
        const numbers = vouchers.map((v) => v.number).sort((a, b) => a - b);
        if (numbers.some((n, i) => n !== i + 1))
          problems.push(`voucher numbers of ${year} have gaps or repeats`);
      }
      check('vouchers (approvals + corrections)', approvals.length + undone.length, {
        api: listed,
        db: await db.collection('vouchers').countDocuments(org),
      });
      check('voucher corrections', undone.length, {
        db: await db.collection('voucher_corrections').countDocuments(org),
      });
      // A deleted bill takes its receipt along into the trash.
      const liveUploads = UPLOADS - trash.deletedLoose - trash.deletedBills;
      check('uploads (live)', liveUploads, {
        api: (await user.all('/uploads')).length,
        db: await db.collection('uploads').countDocuments({ ...org, isDeleted: false }),
      });
      check('trash items', trash.deletedBills + trash.deletedLoose, {
        api: (await user.all('/trash')).length,
        db: await db.collection('trash_items').countDocuments(org),
      });
    });
  } catch (error) {
    problems.push(`aborted: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await watcher?.stop();
    await mail.stop();
    await connection.close();
  }

  // ------------------------------------------------------------------ report
  const me = watcher?.calls.filter((c) => c.path === '/api/v1/me').map((c) => c.ms) ?? [];
  const readyMs = watcher?.calls.filter((c) => c.path === '/health/ready').map((c) => c.ms) ?? [];
  const stalls = watcher?.stalls() ?? [];
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
  const out: string[] = [];
  out.push(
    '',
    `soak ${runId} against ${BASE_URL}: ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
    '',
  );
  out.push('phase        seconds');
  for (const p of phases) out.push(`${p.name.padEnd(12)} ${p.seconds.toFixed(1).padStart(7)}`);
  out.push('', ...importTimes, '');
  out.push(
    `watched read GET /api/v1/me: ${me.length} calls, p50 ${f(percentile(me, 50))} ms, p99 ${f(percentile(me, 99))} ms, max ${f(Math.max(...me))} ms`,
  );
  out.push(
    `GET /health/ready:           ${readyMs.length} calls, p50 ${f(percentile(readyMs, 50))} ms, p99 ${f(percentile(readyMs, 99))} ms, max ${f(Math.max(...readyMs))} ms`,
  );
  out.push(`stalls (≥ ${STALL_MS} ms, failed or timed out): ${stalls.length}`);
  for (const s of stalls.slice(0, 10))
    out.push(
      `  ${s.path} ${s.status || 'no answer'} ${f(s.ms)} ms, at ${s.at.toFixed(0)} s during ${s.phase}`,
    );
  out.push('', 'count                                                       expected      api       db');
  for (const c of checks)
    out.push(
      `${c.what.padEnd(58)} ${String(c.expected).padStart(9)} ${String(c.api ?? '').padStart(8)} ${String(c.db ?? '').padStart(8)}`,
    );
  if (stalls.length) problems.push(`${stalls.length} stalls`);
  out.push(
    '',
    problems.length ? `FAILED:\n  ${problems.join('\n  ')}` : 'OK: 0 stalls, 0 lost or doubled records',
    '',
  );
  process.stdout.write(out.join('\n'));
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[soak] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
