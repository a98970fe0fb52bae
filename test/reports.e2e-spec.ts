import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { Clock } from '../src/infrastructure/clock/clock';
import { RequestContext } from '../src/common/context/request-context';
import { MonthlyReportsService } from '../src/modules/reports/monthly/monthly.service';
import { ReportJobs } from '../src/modules/reports/reports/reports.jobs';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { hasPdftoppm, pdfPageTexts, pdfToPngs } from './helpers/pdf';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Reports end to end on the real services: the figures, a PDF read back as text (pdfjs) and as page images
 * (pdftoppm, left in test/artifacts/ to look at), an Excel workbook read back with exceljs, the CSV for Swedish Excel,
 * jobs with progress, expiry, the monthly mail once per member and month, read-only organizations, and
 * organization B never reaching organization A's reports.
 */

const api = (path: string) => `/api/v1${path}`;
const buffer = (res: { body: unknown }) => res.body as Buffer;
/** superagent parser: the body as one Buffer, whatever the content type (PDF, XLSX, CSV). */
const binary = (res: Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

interface Report {
  id: string;
  status: string;
  progress: { done: number; total: number };
  downloadUrl: string | null;
}

describe('reports', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let readOnly: TestUser;
  const cats: Record<string, string> = {};
  let fuelCategory: string;

  const post = (u: TestUser, path: string, body: object) => t.http.post(api(path)).set(u.auth).send(body);
  const get = (u: TestUser, path: string) => t.http.get(api(path)).set(u.auth);

  async function finished(u: TestUser, id: string): Promise<Report> {
    for (let i = 0; i < 200; i += 1) {
      const r = (await get(u, `/reports/${id}`).expect(200)).body as Report;
      if (r.status === 'done' || r.status === 'failed') return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`report ${id} not done`);
  }
  const download = (u: TestUser, url: string) =>
    t.http.get(url).set(u.auth).buffer(true).parse(binary).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-12-02T10:00:00Z'));
    [a, b, readOnly] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    for (const c of (await get(a, '/categories').expect(200)).body as { id: string; name: string }[])
      cats[c.name] = c.id;
    fuelCategory = (
      await post(a, '/categories', { name: 'Bränsle firma', kind: 'expense', basAccount: '5611' }).expect(201)
    ).body.id;
    const ica = (await post(a, '/suppliers', { name: 'ICA Kvantum Åre' }).expect(201)).body.id;
    const items: object[] = [];
    // November 2026: salary 32 500,00; groceries 20 × 617,28 = 12 345,60; fuel 2 × 500,00; hostile descriptions.
    items.push({
      date: '2026-11-25',
      amount: 3_250_000,
      type: 'income',
      description: 'Lön november',
      categoryId: cats['Lön'],
    });
    for (let i = 0; i < 20; i += 1)
      items.push({
        date: `2026-11-${String(1 + i).padStart(2, '0')}`,
        amount: 61_728,
        type: 'expense',
        description:
          i === 0
            ? '=HYPERLINK("http://evil")'
            : i === 1
              ? '+46 70 123'
              : i === 2
                ? '@SUM(A1)'
                : i === 3
                  ? '-2+3'
                  : `Matkasse ${i}`,
        categoryId: cats['Livsmedel'],
        supplierId: ica,
      });
    items.push({
      date: '2026-11-10',
      amount: 50_000,
      type: 'expense',
      description: 'Tank 1',
      categoryId: fuelCategory,
    });
    items.push({
      date: '2026-11-20',
      amount: 50_000,
      type: 'expense',
      description: 'Tank 2',
      categoryId: fuelCategory,
    });
    // Earlier months for the trend; December (after the period) must not count.
    for (let m = 1; m <= 10; m += 1)
      items.push({
        date: `2026-${String(m).padStart(2, '0')}-15`,
        amount: 100_000 * m,
        type: 'expense',
        description: `Hyra ${m}`,
        categoryId: cats['Livsmedel'],
      });
    items.push({
      date: '2026-12-01',
      amount: 999_900,
      type: 'expense',
      description: 'December',
      categoryId: cats['Livsmedel'],
    });
    await post(a, '/transactions/bulk', { items }).expect(201);
    await post(a, '/contracts', { ...BROADBAND }).expect(201);
    await post(a, '/bills', { supplierId: ica, amount: 129_900, dueDate: '2026-12-10' }).expect(201);
    const car = (await post(a, '/cars', { registration: 'ABC 123', make: 'Volvo', model: 'V70' }).expect(201))
      .body.id;
    await post(a, `/cars/${car}/events`, { type: 'service', date: '2026-11-05', cost: 345_600 }).expect(201);
  });

  afterAll(() => t.close());

  it('answers the figures of a month: totals, categories, suppliers, the 12-month trend, contracts, cars, upcoming', async () => {
    const res = await get(a, '/reports/data?kind=monthly&period=2026-11').expect(200);
    const d = res.body;
    expect(d.totals).toEqual({ income: 3_250_000, expense: 1_334_560, net: 1_915_440, count: 23 });
    expect(d.trend).toHaveLength(12);
    expect(d.trend[0].period).toBe('2025-12');
    expect(d.trend[11]).toMatchObject({ period: '2026-11', expense: 1_334_560 });
    expect(d.trend[10]).toMatchObject({ period: '2026-10', expense: 1_000_000 });
    expect(d.byCategory[0]).toMatchObject({ name: 'Lön', income: 3_250_000, count: 1 });
    expect(d.byCategory).toContainEqual(
      expect.objectContaining({ name: 'Mat / Livsmedel', expense: 1_234_560, count: 20 }),
    );
    expect(d.bySupplier).toContainEqual(
      expect.objectContaining({ name: 'ICA Kvantum Åre', expense: 1_234_560 }),
    );
    expect(d.contracts).toContainEqual(
      expect.objectContaining({ name: 'Bahnhof Fiber', monthly: 39_900, yearly: 478_800, inPeriod: 39_900 }),
    );
    expect(d.cars).toEqual([expect.objectContaining({ registration: 'ABC 123', total: 345_600 })]);
    expect(d.upcoming.slice(0, 2)).toEqual([
      { date: '2026-12-10', name: 'ICA Kvantum Åre', amount: 129_900, source: 'bill' },
      { date: '2026-12-15', name: 'Bahnhof Fiber', amount: 39_900, source: 'contract' },
    ]);

    const fuel = await get(a, '/reports/data?kind=monthly&period=2026-11&accounts=5611').expect(200);
    expect(fuel.body.totals).toEqual({ income: 0, expense: 100_000, net: -100_000, count: 2 });
    const food = await get(a, `/reports/data?kind=yearly&period=2026&categoryIds=${cats['Mat']}`).expect(200);
    expect(food.body.totals.expense).toBe(1_234_560 + 5_500_000 + 999_900);

    expect((await get(a, '/reports/data?kind=monthly&period=2026').expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await get(a, '/reports/data?kind=monthly&period=2026-13').expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    const unknown = await get(a, '/reports/data?kind=monthly&period=2026-11&categoryIds=A999999').expect(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'categoryIds' } });
  });

  it('makes a readable PDF: title page, Swedish numbers and dates, charts, page numbers (sv and en)', async () => {
    const created = await post(a, '/reports', { kind: 'monthly', period: '2026-11', format: 'pdf' }).expect(
      202,
    );
    expect(created.body).toMatchObject({ status: 'queued', downloadUrl: null });
    const report = await finished(a, created.body.id);
    expect(report.status).toBe('done');
    expect(report.progress.done).toBe(report.progress.total);
    expect(report.progress.total).toBeGreaterThan(0);
    const res = await download(a, report.downloadUrl!);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="manadsrapport-2026-11.pdf"');
    const pdf = buffer(res);
    const pages = pdfPageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.join('\n');
    expect(pages[0]).toContain('Månadsrapport');
    expect(pages[0]).toContain('november 2026');
    expect(pages[0]).toContain('Skapad: 2 december 2026');
    expect(pages[0]).toContain('32 500,00 kr');
    expect(pages[0]).toContain('13 345,60 kr');
    expect(all).toContain('Mat / Livsmedel');
    expect(all).toContain('ICA Kvantum Åre');
    expect(all).toContain('Utgifter per kategori');
    expect(all).toContain('Bahnhof Fiber');
    expect(all).toContain('Kommande betalningar');
    expect(all).toContain('15 december 2026');
    expect(all).toContain('Räkning: ICA Kvantum Åre');
    pages.forEach((p, i) => expect(p).toContain(`Sida ${i + 1} av ${pages.length}`));

    const en = await post(a, '/reports', {
      kind: 'yearly',
      period: '2026',
      format: 'pdf',
      locale: 'en',
    }).expect(202);
    const enPages = pdfPageTexts(buffer(await download(a, (await finished(a, en.body.id)).downloadUrl!)));
    expect(enPages[0]).toContain('Annual report');
    expect(enPages[0]).toContain('Created: 2 December 2026');
    expect(enPages[0]).toContain('SEK 32,500.00');
    expect(enPages.at(-1)).toContain(`Page ${enPages.length} of ${enPages.length}`);

    if (!hasPdftoppm()) {
      console.warn('pdftoppm not installed (poppler-utils): report page images not rendered');
      return;
    }
    const pngs = pdfToPngs(pdf, 'report-monthly-sv');
    expect(pngs).toHaveLength(pages.length);
  });

  it('makes an Excel workbook: a sheet per section, number and date cells, frozen header, totals as formulas', async () => {
    const created = await post(a, '/reports', { kind: 'monthly', period: '2026-11', format: 'xlsx' }).expect(
      202,
    );
    const report = await finished(a, created.body.id);
    expect(report.progress.total).toBe(8 + 23);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer(await download(a, report.downloadUrl!)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Sammanfattning',
      'Per månad',
      'Per kategori',
      'Per leverantör',
      'Avtal och årskostnad',
      'Bilkostnader',
      'Kommande betalningar',
      'Transaktioner',
    ]);
    const list = wb.getWorksheet('Transaktioner')!;
    expect(list.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(list.getRow(1).getCell(1).value).toBe('Datum');
    expect(list.rowCount).toBe(1 + 23 + 1);
    const first = list.getRow(2);
    expect(first.getCell(1).value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(3).value).toBe(-617.28);
    expect(first.getCell(3).numFmt).toBe('#,##0.00 "kr"');
    expect(first.getCell(4).value).toBe('=HYPERLINK("http://evil")'); // a text cell, never a formula
    expect(first.getCell(4).type).toBe(ExcelJS.ValueType.String);
    const total = list.getRow(25).getCell(3).value as { formula: string; result: number };
    expect(total).toMatchObject({ formula: 'SUM(C2:C24)', result: 32_500 - 13_345.6 });
  });

  it('makes a CSV for Swedish Excel: BOM, semicolons, decimal comma, formulas neutralized', async () => {
    const created = await post(a, '/reports', { kind: 'monthly', period: '2026-11', format: 'csv' }).expect(
      202,
    );
    const report = await finished(a, created.body.id);
    const res = await download(a, report.downloadUrl!);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = buffer(res);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toContain('Inkomster;32500,00\r\n');
    expect(text).toContain(
      '2026-11-01;Utgift;-617,28;"\'=HYPERLINK(""http://evil"")";Mat / Livsmedel;ICA Kvantum Åre\r\n',
    );
    expect(text).toContain(";'+46 70 123;");
    expect(text).toContain(";'@SUM(A1);");
    expect(text).toContain(";'-2+3;");
  });

  it('lets a read-only organization read reports; a missing report or file id answers the one 404', async () => {
    expect((await post(readOnly, '/transactions/bulk', { items: [] }).expect(403)).body.code).toBe(
      'ACCOUNT_READ_ONLY',
    );
    await get(readOnly, '/reports/data?kind=yearly&period=2026').expect(200);
    const created = await post(readOnly, '/reports', {
      kind: 'yearly',
      period: '2026',
      format: 'csv',
    }).expect(202);
    expect((await finished(readOnly, created.body.id)).status).toBe('done');
    await get(a, '/reports/A999999').expect(404);
    expect((await get(a, '/reports/nonsense/file').expect(404)).body).toMatchObject({
      details: { type: 'report' },
    });
  });

  it('expires files after 7 days with the cleanup job (the record stays, the file answers 410)', async () => {
    const created = await post(a, '/reports', { kind: 'monthly', period: '2026-10', format: 'csv' }).expect(
      202,
    );
    const report = await finished(a, created.body.id);
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-12-10T10:00:00Z'));
    try {
      await t.app.get(ReportJobs).enqueueCleanup();
      let status = 'done';
      for (let i = 0; i < 100 && status === 'done'; i += 1) {
        await new Promise((res) => setTimeout(res, 50));
        status = (await get(a, `/reports/${report.id}`).expect(200)).body.status as string;
      }
      expect(status).toBe('expired');
      expect((await t.http.get(report.downloadUrl!).set(a.auth).expect(410)).body.code).toBe(
        'REPORT_EXPIRED',
      );
    } finally {
      clock.travelTo(new Date('2026-12-02T10:00:00Z'));
    }
  });

  it('mails the monthly report once per member and month to those who opted in', async () => {
    expect((await get(a, '/reports/monthly-mail').expect(200)).body).toEqual({ enabled: false });
    expect(
      (await t.http.put(api('/reports/monthly-mail')).set(a.auth).send({ enabled: true }).expect(200)).body,
    ).toEqual({ enabled: true });
    expect(await t.app.get(ReportJobs).enqueueMonthly()).toBe('2026-11');
    const mail = await t.mail.waitFor(a.email, /Månadsrapport november 2026/);
    expect(mail.text).toContain('Inkomster: 32 500,00 kr');
    const link = /(\/api\/v1\/reports\/\w+\/file)/.exec(mail.text)![1];
    expect(
      buffer(await download(a, link))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // The same month again (a second run): nothing more is sent.
    const again = await t.app
      .get(RequestContext)
      .runAsSystem({ organizationId: a.organizationId }, () =>
        t.app.get(MonthlyReportsService).run('2026-11'),
      );
    expect(again).toEqual({ sent: 0, skipped: 1 });
    expect(
      t.mail.messages.filter((m) => m.to.includes(a.email) && /Månadsrapport/.test(m.subject)),
    ).toHaveLength(1);
    expect(t.mail.messages.some((m) => m.to.includes(b.email) && /Månadsrapport/.test(m.subject))).toBe(
      false,
    );
  });

  describe('organization B cannot read or write organization A', () => {
    it("answers A's report like a missing one and never lists it", async () => {
      const mine = (
        await post(a, '/reports', { kind: 'monthly', period: '2026-11', format: 'csv' }).expect(202)
      ).body.id;
      const missing = (await get(b, '/reports/A999999').expect(404)).body;
      const foreign = (await get(b, `/reports/${mine}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      await get(b, `/reports/${mine}/file`).expect(404);
      const list = (await get(b, '/reports').expect(200)).body as { items: { id: string }[] };
      expect(list.items.map((r) => r.id)).not.toContain(mine);
      const refused = await post(b, '/reports', {
        kind: 'monthly',
        period: '2026-11',
        format: 'pdf',
        categoryIds: [cats['Lön']],
      }).expect(400);
      expect(refused.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'categoryIds' } });
      expect((await get(b, '/reports/data?kind=monthly&period=2026-11').expect(200)).body.totals.count).toBe(
        0,
      );
    });
  });
});
