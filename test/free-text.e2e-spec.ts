import type { Response } from 'supertest';
import { activatePro } from './helpers/billing';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Free text people type (names, labels, reasons, descriptions, notes) in the economy, bank and billing modules refuses
 * control characters (NUL, ESC, BEL…) with the common 400 VALIDATION_FAILED body naming the field; multi-line notes
 * and descriptions keep their line breaks. Against the real app, FerretDB, Redis and the import worker.
 */

const api = (path: string) => `/api/v1${path}`;
const ERROR_KEYS = ['statusCode', 'code', 'message', 'details', 'requestId'];
const CONTROL = 'must not contain control characters';

/** 400 VALIDATION_FAILED in the common error body, with a detail for `path` saying why. */
function expectControlRefused(res: Response, path: string): void {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({
    status: 400,
    body: {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: `${path}: ${CONTROL}`,
      details: [{ path, message: CONTROL }],
      requestId: res.headers['x-request-id'],
    },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  for (const key of Object.keys(res.body)) expect(ERROR_KEYS).toContain(key);
}

const NOTE = 'Rad ett\nRad två\r\n\tindraget – 50 %';

describe('free text refuses control characters (economy, bank, billing)', () => {
  let t: TestApp;
  let owner: TestUser;
  let categoryId: string;
  let supplierId: string;

  const http = (user: TestUser) => ({
    get: (path: string) => t.http.get(api(path)).set(user.auth),
    post: (path: string, body: object = {}) => t.http.post(api(path)).set(user.auth).send(body),
    patch: (path: string, body: object) => t.http.patch(api(path)).set(user.auth).send(body),
  });

  beforeAll(async () => {
    t = await startTestApp();
    owner = await createUser(t, { name: 'Fri Textsson' });
    await activatePro(t, owner.organizationId);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('economy', () => {
    it('category name: NUL or ESC → 400 on create and update; the category is unchanged', async () => {
      expectControlRefused(
        await http(owner).post('/categories', { name: 'Elräkning\u0000', kind: 'expense' }),
        'name',
      );
      const created = await http(owner)
        .post('/categories', { name: '  Elräkning  ', kind: 'expense' })
        .expect(201);
      expect(created.body.name).toBe('Elräkning');
      categoryId = created.body.id;
      expectControlRefused(
        await http(owner).patch(`/categories/${categoryId}`, { name: 'A\u001bB' }),
        'name',
      );
      const after = await http(owner).get('/categories?kind=expense').expect(200);
      expect((after.body as { id: string; name: string }[]).find((c) => c.id === categoryId)?.name).toBe(
        'Elräkning',
      );
    });

    it('supplier name, alias and the q filter: control characters → 400', async () => {
      expectControlRefused(await http(owner).post('/suppliers', { name: 'A\u001bB' }), 'name');
      expectControlRefused(
        await http(owner).post('/suppliers', { name: 'Ellevio AB', aliases: ['ellevio', 'Ellevio\u0007'] }),
        'aliases.1',
      );
      const created = await http(owner)
        .post('/suppliers', { name: 'Ellevio AB', aliases: ['Ellevio Elnät'], defaultCategoryId: categoryId })
        .expect(201);
      supplierId = created.body.id;
      expectControlRefused(
        await http(owner).patch(`/suppliers/${supplierId}`, { aliases: ['el\u0000'] }),
        'aliases.0',
      );
      expectControlRefused(await http(owner).get('/suppliers?q=elle%00vio'), 'q');
      const found = await http(owner).get('/suppliers?q=ellevio').expect(200);
      expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([supplierId]);
    });

    it('transaction description (one line) and note (multi-line): control characters → 400, a note keeps its line breaks', async () => {
      const base = { date: '2026-05-20', amount: 12_500, type: 'expense', categoryId };
      expectControlRefused(
        await http(owner).post('/transactions', { ...base, description: 'Elräkning\u0000' }),
        'description',
      );
      expectControlRefused(
        await http(owner).post('/transactions', {
          ...base,
          description: 'Elräkning',
          note: 'Rad ett\n\u001b[31mröd',
        }),
        'note',
      );
      expectControlRefused(
        await http(owner).post('/transactions', {
          ...base,
          description: 'Elräkning',
          tags: ['el', 'hem\u0000'],
        }),
        'tags.1',
      );
      expectControlRefused(
        await http(owner).post('/transactions/bulk', { items: [{ ...base, description: 'A\u001bB' }] }),
        'items.0.description',
      );

      const created = await http(owner)
        .post('/transactions', { ...base, description: 'Elräkning maj', note: NOTE })
        .expect(201);
      expect(created.body).toMatchObject({ description: 'Elräkning maj', note: NOTE });
      const id = created.body.id as string;
      expect((await http(owner).get(`/transactions/${id}`).expect(200)).body.note).toBe(NOTE);

      // a description is one line: a newline inside it is refused; the stored transaction is unchanged
      expectControlRefused(
        await http(owner).patch(`/transactions/${id}`, { description: 'Rad ett\nRad två' }),
        'description',
      );
      expectControlRefused(await http(owner).patch(`/transactions/${id}`, { note: 'ok\u0000' }), 'note');
      const patched = await http(owner).patch(`/transactions/${id}`, { note: 'Ny\nanteckning' }).expect(200);
      expect(patched.body).toMatchObject({ description: 'Elräkning maj', note: 'Ny\nanteckning' });

      expectControlRefused(await http(owner).get('/transactions?text=el%1Br'), 'text');
      expectControlRefused(await http(owner).get('/transactions?tag=el%07'), 'tag');
      const search = await http(owner).get('/transactions?text=anteckning').expect(200);
      expect(search.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    });

    it('bill description (multi-line) and invoice number (one line): control characters → 400, line breaks kept', async () => {
      const base = { supplierId, amount: 99_000, dueDate: '2026-06-30' };
      expectControlRefused(
        await http(owner).post('/bills', { ...base, description: 'Elräkning\u0000' }),
        'description',
      );
      expectControlRefused(
        await http(owner).post('/bills', { ...base, invoiceNumber: 'F-1\n2' }),
        'invoiceNumber',
      );
      const created = await http(owner)
        .post('/bills', { ...base, invoiceNumber: 'F-12', description: NOTE })
        .expect(201);
      expect(created.body).toMatchObject({ invoiceNumber: 'F-12', description: NOTE });
      expectControlRefused(
        await http(owner).patch(`/bills/${created.body.id}`, { description: 'A\u001bB' }),
        'description',
      );
      expect((await http(owner).get(`/bills/${created.body.id}`).expect(200)).body.description).toBe(NOTE);
    });
  });

  describe('bank', () => {
    let accountId: string;

    it('bank account name and bank: control characters → 400 on create and update', async () => {
      const account = {
        name: 'Privatkonto',
        bank: 'Swedbank',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
      };
      expectControlRefused(
        await http(owner).post('/bank/accounts', { ...account, name: 'Privat\u0000konto' }),
        'name',
      );
      expectControlRefused(
        await http(owner).post('/bank/accounts', { ...account, bank: 'Swed\u001bbank' }),
        'bank',
      );
      accountId = (await http(owner).post('/bank/accounts', account).expect(201)).body.id;
      expectControlRefused(
        await http(owner).patch(`/bank/accounts/${accountId}`, { name: 'A\u001bB' }),
        'name',
      );
      expect((await http(owner).get(`/bank/accounts/${accountId}`).expect(200)).body.name).toBe(
        'Privatkonto',
      );
    });

    it('a TAB-separated CSV still imports; a profile name or column header with a control character → 400', async () => {
      const mapping = {
        separator: '\t',
        decimal: ',',
        columns: { date: 'Datum', text: 'Text', amount: 'Belopp' },
      };
      expectControlRefused(
        await http(owner).post('/bank/csv-profiles', { name: 'Flik\u0000CSV', mapping }),
        'name',
      );
      expectControlRefused(
        await http(owner).post('/bank/csv-profiles', {
          name: 'Flik-CSV',
          mapping: { ...mapping, columns: { ...mapping.columns, text: 'Te\u0000xt' } },
        }),
        'mapping.columns.text',
      );
      const profile = await http(owner).post('/bank/csv-profiles', { name: 'Flik-CSV', mapping }).expect(201);
      expect(profile.body.mapping).toMatchObject({ separator: '\t' });

      const csv = Buffer.from(['Datum\tText\tBelopp', '2026-06-10\tEgen överföring\t-500,00', ''].join('\n'));
      const started = await t.http
        .post(api(`/bank/accounts/${accountId}/imports`))
        .set(owner.auth)
        .field('profileId', profile.body.id as string)
        .attach('file', csv, 'flik.csv')
        .expect(202);
      const deadline = Date.now() + 30_000;
      let result: { status: string; separator?: string; counts: { created: number } };
      for (;;) {
        result = (await http(owner).get(`/bank/imports/${started.body.id}`).expect(200)).body;
        if (result.status === 'done' || result.status === 'failed') break;
        if (Date.now() > deadline) throw new Error(`import still ${result.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(result).toMatchObject({ status: 'done', counts: { created: 1 } });
    });

    it('bank line ignore reason: a control character → 400 and the line stays open; a plain reason ignores it', async () => {
      const lines = await http(owner).get('/bank/lines?q=egen').expect(200);
      expect(lines.body.items).toHaveLength(1);
      const line = lines.body.items[0] as { id: string; status: string; text: string };
      expect(line.text).toBe('Egen överföring');
      expectControlRefused(
        await http(owner).post(`/bank/lines/${line.id}/ignore`, { reason: 'Egen\u0000överföring' }),
        'reason',
      );
      expectControlRefused(await http(owner).get('/bank/lines?q=egen%1B'), 'q');
      expect((await http(owner).get(`/bank/lines/${line.id}`).expect(200)).body.status).toBe(line.status);
      const ignored = await http(owner)
        .post(`/bank/lines/${line.id}/ignore`, { reason: 'Egen överföring' })
        .expect(200);
      expect(ignored.body).toMatchObject({ status: 'ignored', ignored: { reason: 'Egen överföring' } });
    });
  });

  describe('billing', () => {
    it('billing details reference, contact name and address: control characters → 400; plain text is saved', async () => {
      expectControlRefused(
        await http(owner).patch('/billing/details', { reference: 'Ref\u0000' }),
        'reference',
      );
      expectControlRefused(
        await http(owner).patch('/billing/details', { contactName: 'A\u001bB' }),
        'contactName',
      );
      expectControlRefused(
        await http(owner).patch('/billing/details', {
          address: {
            line1: 'Storgatan 1',
            line2: 'c/o\u0007Andersson',
            postalCode: '111 22',
            city: 'Stockholm',
          },
        }),
        'address.line2',
      );
      const saved = await http(owner)
        .patch('/billing/details', {
          reference: 'Fri Textsson',
          address: { line1: 'Storgatan 1', line2: '', postalCode: '11122', city: 'Stockholm' },
        })
        .expect(200);
      expect(saved.body.details).toMatchObject({
        reference: 'Fri Textsson',
        address: { line1: 'Storgatan 1', line2: '', postalCode: '111 22', city: 'Stockholm' },
      });
    });

    it('an admin downgrade reason with a control character → 400', async () => {
      const admin = await createAdmin(t);
      expectControlRefused(
        await http(admin).post(`/admin/billing/accounts/${owner.organizationId}/downgrade`, {
          reason: 'Sa upp\u001b',
        }),
        'reason',
      );
      expect((await http(owner).get('/billing').expect(200)).body.plan).toBe('pro');
    });
  });
});
