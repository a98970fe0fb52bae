import type { Response } from 'supertest';
import { RequestContext } from '../src/common/context/request-context';
import { BillsService } from '../src/modules/economy/bills/bills.service';
import { countDefaults } from '../src/modules/economy/categories/category-defaults';
import { SuppliersService } from '../src/modules/economy/suppliers/suppliers.service';
import { TransactionsService } from '../src/modules/economy/transactions/transactions.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Economy: categories (defaults per organization type, tree, delete with/without moveTo), suppliers (Swedish
 * number validation, alias search), bills (OCR rules, paid/open, bank link lock), the contract the bank module
 * uses, audit entries, and organization B never reaching organization A's records.
 */

const api = (path: string) => `/api/v1${path}`;

interface Category {
  id: string;
  name: string;
  kind: 'income' | 'expense';
  parentId: string | null;
  path: string;
  basAccount: string | null;
  isDefault: boolean;
}

function withoutRequestId(res: Response): Record<string, unknown> {
  const { requestId, ...rest } = res.body as Record<string, unknown>;
  expect(typeof requestId).toBe('string');
  return rest;
}

describe('economy: categories, suppliers, bills', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let categories: Category[];

  const as = (user: TestUser, orgId?: string) => ({
    ...user.auth,
    ...(orgId ? { 'X-Organization-Id': orgId } : {}),
  });
  const byName = (name: string) => {
    const found = categories.find((c) => c.name === name);
    if (!found) throw new Error(`no category ${name}`);
    return found;
  };
  const inOrg = <R>(user: TestUser, fn: () => Promise<R>) =>
    t.app.get(RequestContext).run(
      {
        tenant: { organizationId: user.organizationId, orgRole: 'owner' },
        actor: { userId: user.id, platformRole: 'user' },
      },
      fn,
    );

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other] = await Promise.all([createUser(t, { name: 'Ägare' }), createUser(t, { name: 'Annan' })]);
    await activatePro(t, owner.organizationId);
    await activatePro(t, other.organizationId);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('categories', () => {
    it('a household starts with the Swedish default set, in tree order', async () => {
      const res = await t.http.get(api('/categories')).set(owner.auth).expect(200);
      categories = res.body as Category[];
      expect(categories).toHaveLength(countDefaults('household'));
      expect(byName('Lön')).toMatchObject({
        kind: 'income',
        parentId: null,
        isDefault: true,
        basAccount: null,
      });
      const housing = byName('Boende');
      const power = byName('El');
      expect(power).toMatchObject({ kind: 'expense', parentId: housing.id, path: 'Boende / El' });
      // each child right after its parent's subtree starts
      const index = categories.findIndex((c) => c.id === housing.id);
      expect(categories[index + 1]?.parentId).toBe(housing.id);
      expect(categories.some((c) => c.name === 'Medlemsavgifter' || c.name === 'Barnbidrag')).toBe(false);

      const incomeOnly = await t.http.get(api('/categories?kind=income')).set(owner.auth).expect(200);
      expect((incomeOnly.body as Category[]).every((c) => c.kind === 'income')).toBe(true);
      expect((incomeOnly.body as Category[]).length).toBeGreaterThan(1);
    });

    it('associations and companies get their own sets with BAS accounts', async () => {
      const assoc = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'Båtklubben', type: 'association' })
        .expect(201);
      await activatePro(t, assoc.body.id);
      const a = (await t.http.get(api('/categories')).set(as(owner, assoc.body.id)).expect(200))
        .body as Category[];
      expect(a).toHaveLength(countDefaults('association'));
      expect(a.find((c) => c.name === 'Medlemsavgifter')).toMatchObject({
        kind: 'income',
        basAccount: '3010',
      });
      expect(a.find((c) => c.name === 'Lön')).toBeUndefined();

      const company = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'Firma AB', type: 'company' })
        .expect(201);
      // Five first touches at the same time still create one set.
      const all = await Promise.all(
        Array.from({ length: 5 }, () => t.http.get(api('/categories')).set(as(owner, company.body.id))),
      );
      for (const res of all) expect(res.status).toBe(200);
      const stored = await t.db.collection('categories').find({ organizationId: company.body.id }).toArray();
      expect(stored).toHaveLength(countDefaults('company'));
      expect(new Set(stored.map((c) => `${c.parentId}:${c.nameKey}`)).size).toBe(stored.length);
      const c = (await t.http.get(api('/categories')).set(as(owner, company.body.id)).expect(200))
        .body as Category[];
      expect(c.find((x) => x.name === 'Löner')).toMatchObject({
        basAccount: '7210',
        path: 'Personal / Löner',
      });
      // the seeding was audited once
      const seeds = await t.db
        .collection('audit_entries')
        .find({ organizationId: company.body.id, action: 'category.defaults_created' })
        .toArray();
      expect(seeds).toHaveLength(1);
    });

    it('a deleted default is not created again', async () => {
      const fresh = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'Familjen', type: 'family' })
        .expect(201);
      await activatePro(t, fresh.body.id);
      const list = (await t.http.get(api('/categories')).set(as(owner, fresh.body.id)).expect(200))
        .body as Category[];
      expect(list.find((x) => x.name === 'Barnbidrag')).toBeDefined();
      const savings = list.find((x) => x.name === 'Sparande') as Category;
      await t.http
        .delete(api(`/categories/${savings.id}`))
        .set(as(owner, fresh.body.id))
        .expect(200);
      const again = (await t.http.get(api('/categories')).set(as(owner, fresh.body.id)).expect(200))
        .body as Category[];
      expect(again.find((x) => x.name === 'Sparande')).toBeUndefined();
      expect(again).toHaveLength(list.length - 1);
    });

    it('creates, validates, renames and moves categories', async () => {
      const pets = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Husdjur', kind: 'expense', basAccount: '6990' })
        .expect(201);
      expect(pets.body).toMatchObject({
        name: 'Husdjur',
        kind: 'expense',
        parentId: null,
        basAccount: '6990',
        isDefault: false,
      });
      const food = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Djurfoder', kind: 'expense', parentId: pets.body.id })
        .expect(201);
      expect(food.body.path).toBe('Husdjur / Djurfoder');

      const dup = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: '  HUSDJUR ', kind: 'expense' })
        .expect(409);
      expect(dup.body.code).toBe('CATEGORY_NAME_TAKEN');
      // the same name is fine as an income root (other kind)
      await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Husdjur', kind: 'income' })
        .expect(201);

      const wrongKind = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Kattutställning', kind: 'income', parentId: pets.body.id })
        .expect(400);
      expect(wrongKind.body.code).toBe('CATEGORY_KIND_MISMATCH');
      const badBas = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'X', kind: 'expense', basAccount: '12' })
        .expect(400);
      expect(badBas.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'basAccount' })],
      });
      const unknown = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'X', kind: 'expense', colour: 'red' })
        .expect(400);
      expect(unknown.body.message).toContain('colour');
      const noKind = await t.http.post(api('/categories')).set(owner.auth).send({ name: 'X' }).expect(400);
      expect(noKind.body.code).toBe('VALIDATION_FAILED');
      const missingParent = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'X', kind: 'expense', parentId: 'A999999' })
        .expect(400);
      expect(missingParent.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'parentId' } });

      const cycle = await t.http
        .patch(api(`/categories/${pets.body.id}`))
        .set(owner.auth)
        .send({ parentId: food.body.id })
        .expect(400);
      expect(cycle.body.code).toBe('CATEGORY_CYCLE');
      const renamed = await t.http
        .patch(api(`/categories/${food.body.id}`))
        .set(owner.auth)
        .send({ name: 'Foder', parentId: null })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Foder', parentId: null, path: 'Foder' });
      const clash = await t.http
        .patch(api(`/categories/${food.body.id}`))
        .set(owner.auth)
        .send({ name: 'husdjur' })
        .expect(409);
      expect(clash.body.code).toBe('CATEGORY_NAME_TAKEN');
      await t.http
        .patch(api(`/categories/${food.body.id}`))
        .set(owner.auth)
        .send({ parentId: pets.body.id })
        .expect(200);
      await t.http
        .patch(api(`/categories/${food.body.id}`))
        .set(owner.auth)
        .send({})
        .expect(400);

      const audit = await t.http
        .get(api(`/audit?targetId=${food.body.id}`))
        .set(owner.auth)
        .expect(200);
      const actions = (
        audit.body.items as {
          action: string;
          changes: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
        }[]
      ).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['category.created', 'category.updated']));
      const rename = (
        audit.body.items as {
          action: string;
          changes: { before: Record<string, unknown>; after: Record<string, unknown> };
        }[]
      ).find((e) => e.action === 'category.updated' && e.changes.after.name === 'Foder');
      expect(rename?.changes).toEqual({
        before: { name: 'Djurfoder', parentId: pets.body.id },
        after: { name: 'Foder', parentId: null },
      });

      const refreshed = await t.http.get(api('/categories')).set(owner.auth).expect(200);
      categories = refreshed.body as Category[];
    });

    it('deleting a category in use asks where its records go (moveTo) or refuses with the counts', async () => {
      const pets = categories.find((c) => c.name === 'Husdjur' && c.kind === 'expense') as Category;
      const food = byName('Foder');
      const groceries = byName('Livsmedel');
      const salary = byName('Lön');
      const tx = await t.http
        .post(api('/transactions'))
        .set(owner.auth)
        .send({
          date: '2026-03-02',
          amount: 24900,
          type: 'expense',
          description: 'Kattmat',
          categoryId: food.id,
        })
        .expect(201);
      const supplier = await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({ name: 'Zoo-butiken', defaultCategoryId: food.id })
        .expect(201);

      const parentInUse = await t.http
        .delete(api(`/categories/${pets.id}`))
        .set(owner.auth)
        .expect(409);
      expect(parentInUse.body).toMatchObject({
        code: 'CATEGORY_IN_USE',
        details: { transactions: 0, bills: 0, suppliers: 0, subcategories: 1 },
      });
      const inUse = await t.http
        .delete(api(`/categories/${food.id}`))
        .set(owner.auth)
        .expect(409);
      expect(inUse.body.details).toEqual({ transactions: 1, bills: 0, suppliers: 1, subcategories: 0 });

      const toIncome = await t.http
        .delete(api(`/categories/${food.id}?moveTo=${salary.id}`))
        .set(owner.auth)
        .expect(400);
      expect(toIncome.body.code).toBe('CATEGORY_KIND_MISMATCH');
      const toSelf = await t.http
        .delete(api(`/categories/${food.id}?moveTo=${food.id}`))
        .set(owner.auth)
        .expect(400);
      expect(toSelf.body.code).toBe('CATEGORY_CYCLE');
      const toMissing = await t.http
        .delete(api(`/categories/${food.id}?moveTo=A999998`))
        .set(owner.auth)
        .expect(400);
      expect(toMissing.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'moveTo' } });
      const badShape = await t.http
        .delete(api(`/categories/${food.id}?moveTo=nope`))
        .set(owner.auth)
        .expect(400);
      expect(badShape.body.code).toBe('VALIDATION_FAILED');

      const moved = await t.http
        .delete(api(`/categories/${food.id}?moveTo=${groceries.id}`))
        .set(owner.auth)
        .expect(200);
      expect(moved.body).toMatchObject({
        id: food.id,
        deletedAt: expect.any(String),
        moved: { transactions: 1, bills: 0, suppliers: 1, subcategories: 0 },
      });
      expect(
        (
          await t.http
            .get(api(`/transactions/${tx.body.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.categoryId,
      ).toBe(groceries.id);
      expect(
        (
          await t.http
            .get(api(`/suppliers/${supplier.body.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.defaultCategoryId,
      ).toBe(groceries.id);
      await t.http
        .get(api(`/categories/${food.id}`))
        .set(owner.auth)
        .expect(404);

      // the parent is free now: deleted without moveTo; its record is kept (soft delete)
      await t.http
        .delete(api(`/categories/${pets.id}`))
        .set(owner.auth)
        .expect(200);
      const stored = await t.db.collection('categories').findOne({ _id: pets.id } as Record<string, unknown>);
      expect(stored).toMatchObject({ isDeleted: true, deletedBy: owner.id });
      // and its name can be used again
      await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Husdjur', kind: 'expense' })
        .expect(201);

      // moving subcategories: a parent with children moves them under moveTo
      const parent = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Hobby', kind: 'expense' })
        .expect(201);
      const child = await t.http
        .post(api('/categories'))
        .set(owner.auth)
        .send({ name: 'Garn', kind: 'expense', parentId: parent.body.id })
        .expect(201);
      const leisure = byName('Nöje och fritid');
      const movedTree = await t.http
        .delete(api(`/categories/${parent.body.id}?moveTo=${leisure.id}`))
        .set(owner.auth)
        .expect(200);
      expect(movedTree.body.moved).toMatchObject({ subcategories: 1 });
      expect(
        (
          await t.http
            .get(api(`/categories/${child.body.id}`))
            .set(owner.auth)
            .expect(200)
        ).body,
      ).toMatchObject({
        parentId: leisure.id,
        path: 'Nöje och fritid / Garn',
      });
    });
  });

  describe('suppliers', () => {
    let ellevio: { id: string };

    it('validates and normalizes Swedish numbers and aliases', async () => {
      const res = await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({
          name: 'Ellevio AB',
          orgNumber: '556036-0793',
          bankgiro: '50501055',
          plusgiro: '90 20 03-3',
          aliases: ['  ELLEVIO  AB ', 'Ellevio', 'ellevio'],
          defaultCategoryId: byName('El').id,
        })
        .expect(201);
      ellevio = res.body;
      expect(res.body).toMatchObject({
        name: 'Ellevio AB',
        orgNumber: '556036-0793',
        bankgiro: '5050-1055',
        plusgiro: '902003-3',
        aliases: ['ellevio ab', 'ellevio'],
        defaultCategoryId: byName('El').id,
        ocrLengthDigit: false,
      });
      for (const [field, value] of [
        ['orgNumber', '556036-0794'],
        ['orgNumber', '811218-9876'],
        ['bankgiro', '5050-1056'],
        ['plusgiro', '902003-4'],
      ] as const) {
        const bad = await t.http
          .post(api('/suppliers'))
          .set(owner.auth)
          .send({ name: `Fel ${field} ${value}`, [field]: value })
          .expect(400);
        expect(bad.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: [expect.objectContaining({ path: field })],
        });
      }
      const dup = await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({ name: 'ellevio ab' })
        .expect(409);
      expect(dup.body.code).toBe('SUPPLIER_NAME_TAKEN');
      const badCategory = await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({ name: 'Q', defaultCategoryId: 'A999997' })
        .expect(400);
      expect(badCategory.body.code).toBe('INVALID_REFERENCE');
    });

    it('searches name and aliases in any case; user input is escaped; pages by name', async () => {
      await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({ name: 'A.B. Bygg', aliases: ['bygg-gruppen'] })
        .expect(201);
      await t.http.post(api('/suppliers')).set(owner.auth).send({ name: 'ABC Bygg' }).expect(201);
      await t.http
        .post(api('/suppliers'))
        .set(owner.auth)
        .send({ name: 'Telia Sverige', aliases: ['TELIA COMPANY'] })
        .expect(201);
      const names = async (q: string) =>
        (
          (
            await t.http
              .get(api(`/suppliers?q=${encodeURIComponent(q)}`))
              .set(owner.auth)
              .expect(200)
          ).body.items as { name: string }[]
        ).map((s) => s.name);
      expect(await names('ELLEV')).toEqual(['Ellevio AB']);
      expect(await names('company')).toEqual(['Telia Sverige']);
      expect(await names('a.b')).toEqual(['A.B. Bygg']); // "." is literal, not any character
      expect(await names('.*')).toEqual([]);
      expect(await names('(')).toEqual([]);
      expect(await names('bygg')).toEqual(['A.B. Bygg', 'ABC Bygg']);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await t.http
          .get(api(`/suppliers?limit=2${cursor ? `&cursor=${cursor}` : ''}`))
          .set(owner.auth)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as { name: string }[]).map((s) => s.name));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en')));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(5);
      const badCursor = await t.http.get(api('/suppliers?cursor=garbage')).set(owner.auth).expect(400);
      expect(badCursor.body.code).toBe('VALIDATION_FAILED');
    });

    it('updates (audited with the changed fields only) and refuses deleting one with open bills', async () => {
      const res = await t.http
        .patch(api(`/suppliers/${ellevio.id}`))
        .set(owner.auth)
        .send({ aliases: ['ELLEVIO STOCKHOLM'], plusgiro: null })
        .expect(200);
      expect(res.body).toMatchObject({
        aliases: ['ellevio stockholm'],
        plusgiro: null,
        bankgiro: '5050-1055',
      });
      const found = await t.http.get(api('/suppliers?q=stockholm')).set(owner.auth).expect(200);
      expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([ellevio.id]);
      const audit = await t.http
        .get(api(`/audit?targetId=${ellevio.id}&action=supplier.updated`))
        .set(owner.auth)
        .expect(200);
      expect(audit.body.items[0].changes).toEqual({
        before: { plusgiro: '902003-3', aliases: ['ellevio ab', 'ellevio'] },
        after: { plusgiro: null, aliases: ['ellevio stockholm'] },
      });

      const bill = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: ellevio.id, amount: 120000, dueDate: '2026-04-30', ocr: '1234567897' })
        .expect(201);
      const refused = await t.http
        .delete(api(`/suppliers/${ellevio.id}`))
        .set(owner.auth)
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'SUPPLIER_HAS_OPEN_BILLS', details: { openBills: 1 } });
      await t.http
        .patch(api(`/bills/${bill.body.id}`))
        .set(owner.auth)
        .send({ status: 'paid', paidAt: '2026-04-28' })
        .expect(200);
      const deleted = await t.http
        .delete(api(`/suppliers/${ellevio.id}`))
        .set(owner.auth)
        .expect(200);
      expect(deleted.body).toMatchObject({ id: ellevio.id, deletedAt: expect.any(String) });
      await t.http
        .get(api(`/suppliers/${ellevio.id}`))
        .set(owner.auth)
        .expect(404);
      // the paid bill still names its (deleted) supplier
      expect(
        (
          await t.http
            .get(api(`/bills/${bill.body.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.supplierName,
      ).toBe('Ellevio AB');
    });
  });

  describe('bills', () => {
    let vattenfall: { id: string };
    let bankgirot: { id: string };

    beforeAll(async () => {
      vattenfall = (
        await t.http
          .post(api('/suppliers'))
          .set(owner.auth)
          .send({ name: 'Vattenfall', aliases: ['VATTENFALL AB'], defaultCategoryId: byName('El').id })
          .expect(201)
      ).body;
      bankgirot = (
        await t.http
          .post(api('/suppliers'))
          .set(owner.auth)
          .send({ name: 'Längdkontroll AB', ocrLengthDigit: true })
          .expect(201)
      ).body;
    });

    it('checks OCR (mod 10; the length digit for suppliers that use one), amounts and dates', async () => {
      const ok = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({
          supplierId: vattenfall.id,
          invoiceNumber: 'F-1001',
          ocr: '1234 5678 97',
          amount: 84500,
          dueDate: '2026-05-31',
        })
        .expect(201);
      expect(ok.body).toMatchObject({
        supplierName: 'Vattenfall',
        ocr: '1234567897',
        status: 'open',
        paidAt: null,
        bankLineId: null,
        period: '2026-05',
        currency: 'SEK',
        categoryId: byName('El').id, // the supplier's default
      });
      const badCheck = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: vattenfall.id, ocr: '1234567898', amount: 100, dueDate: '2026-05-31' })
        .expect(400);
      expect(badCheck.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'ocr' })],
      });
      const noLength = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: bankgirot.id, ocr: '1234567897', amount: 100, dueDate: '2026-05-31' })
        .expect(400);
      expect(noLength.body.code).toBe('INVALID_OCR');
      await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: bankgirot.id, ocr: '12345682', amount: 100, dueDate: '2026-06-15' })
        .expect(201);

      for (const [body, path] of [
        [{ amount: 0 }, 'amount'],
        [{ amount: -5 }, 'amount'],
        [{ amount: 10.5 }, 'amount'],
        [{ amount: '100' }, 'amount'],
        [{ dueDate: '2026-02-30' }, 'dueDate'],
        [{ dueDate: '30/06/2026' }, 'dueDate'],
        [{ currency: 'kronor' }, 'currency'],
      ] as const) {
        const res = await t.http
          .post(api('/bills'))
          .set(owner.auth)
          .send({ ...{ supplierId: vattenfall.id, amount: 100, dueDate: '2026-05-31' }, ...body })
          .expect(400);
        expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      }
      const dup = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: vattenfall.id, invoiceNumber: 'F-1001', amount: 100, dueDate: '2026-06-30' })
        .expect(409);
      expect(dup.body).toMatchObject({ code: 'BILL_DUPLICATE', details: { billId: ok.body.id } });
      // The same invoice sent several times at once: a unique key, not only the check, keeps it to one bill.
      const racing = await Promise.all(
        [1, 2, 3, 4].map(() =>
          t.http.post(api('/bills')).set(owner.auth).send({
            supplierId: vattenfall.id,
            invoiceNumber: 'F-RACE-1',
            amount: 100,
            dueDate: '2026-06-30',
          }),
        ),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(racing.filter((r) => r.status === 409).every((r) => r.body.code === 'BILL_DUPLICATE')).toBe(
        true,
      );
      const raced = racing.find((r) => r.status === 201)!;
      await t.http
        .delete(api(`/bills/${raced.body.id}`))
        .set(owner.auth)
        .expect(200);
      const incomeCategory = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: vattenfall.id, amount: 100, dueDate: '2026-06-30', categoryId: byName('Lön').id })
        .expect(400);
      expect(incomeCategory.body.code).toBe('CATEGORY_KIND_MISMATCH');
      const noSupplier = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: 'A999996', amount: 100, dueDate: '2026-06-30' })
        .expect(400);
      expect(noSupplier.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'supplierId' } });
    });

    it('paid and open by hand, lists by due date with filters and pages', async () => {
      const created = await t.http
        .post(api('/bills'))
        .set(owner.auth)
        .send({ supplierId: vattenfall.id, invoiceNumber: 'F-1002', amount: 50000, dueDate: '2026-04-15' })
        .expect(201);
      const paid = await t.http
        .patch(api(`/bills/${created.body.id}`))
        .set(owner.auth)
        .send({ status: 'paid' })
        .expect(200);
      expect(paid.body).toMatchObject({
        status: 'paid',
        paidAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        overdue: false,
      });
      const reopened = await t.http
        .patch(api(`/bills/${created.body.id}`))
        .set(owner.auth)
        .send({ status: 'open' })
        .expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', paidAt: null });
      const bad = await t.http
        .patch(api(`/bills/${created.body.id}`))
        .set(owner.auth)
        .send({ status: 'open', paidAt: '2026-04-01' })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const audit = await t.http
        .get(api(`/audit?targetId=${created.body.id}`))
        .set(owner.auth)
        .expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
        'bill.reopened',
        'bill.paid',
        'bill.created',
      ]);

      const open = await t.http
        .get(api(`/bills?status=open&supplierId=${vattenfall.id}`))
        .set(owner.auth)
        .expect(200);
      const dueDates = (open.body.items as { dueDate: string; status: string }[]).map((b) => b.dueDate);
      expect(dueDates).toEqual([...dueDates].sort());
      expect(open.body.items.every((b: { status: string }) => b.status === 'open')).toBe(true);
      expect(dueDates).toEqual(['2026-04-15', '2026-05-31']);

      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await t.http
          .get(api(`/bills?limit=1${cursor ? `&cursor=${cursor}` : ''}`))
          .set(owner.auth)
          .expect(200);
        ids.push(...(page.body.items as { id: string }[]).map((b) => b.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      const total = await t.db
        .collection('bills')
        .countDocuments({ organizationId: owner.organizationId, isDeleted: false });
      expect(ids).toHaveLength(total);
      expect(new Set(ids).size).toBe(total);
      const window = await t.http
        .get(api('/bills?dueFrom=2026-05-01&dueTo=2026-05-31'))
        .set(owner.auth)
        .expect(200);
      expect(window.body.items.map((b: { dueDate: string }) => b.dueDate)).toEqual(['2026-05-31']);
    });

    it('the bank contract: open bills for matching, markPaid locks the bill, reopen undoes it', async () => {
      const bill = (
        await t.http
          .post(api('/bills'))
          .set(owner.auth)
          .send({
            supplierId: vattenfall.id,
            invoiceNumber: 'F-2001',
            ocr: '4455667784',
            amount: 99900,
            dueDate: '2026-07-31',
          })
          .expect(201)
      ).body;
      expect(bill.ocr).toBe('4455667784');
      const bills = t.app.get(BillsService);
      const byAmount = await inOrg(owner, () =>
        bills.findOpenForMatching({
          amountMin: 99000,
          amountMax: 100000,
          dueFrom: '2026-07-01',
          dueTo: '2026-08-31',
        }),
      );
      expect(byAmount).toEqual([
        {
          id: bill.id,
          supplierId: vattenfall.id,
          supplierName: 'Vattenfall',
          supplierAliases: ['vattenfall ab'],
          ocr: '4455667784',
          invoiceNumber: 'F-2001',
          amount: 99900,
          currency: 'SEK',
          dueDate: '2026-07-31',
          categoryId: byName('El').id,
        },
      ]);
      const byOcr = await inOrg(owner, () =>
        bills.findOpenForMatching({
          amountMin: 1,
          amountMax: 2,
          dueFrom: '2020-01-01',
          dueTo: '2020-01-02',
          ocrs: ['4455667784'],
        }),
      );
      expect(byOcr.map((b) => b.id)).toEqual([bill.id]);
      // the other organization sees none of it
      const fromOther = await inOrg(other, () =>
        bills.findOpenForMatching({
          amountMin: 1,
          amountMax: 10_000_000,
          dueFrom: '2000-01-01',
          dueTo: '2100-01-01',
          ocrs: ['4455667784'],
        }),
      );
      expect(fromOther).toEqual([]);
      await expect(
        inOrg(other, () => bills.markPaid(bill.id, { paidAt: '2026-07-30', bankLineId: 'A900001' })),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        status: 404,
      });

      await inOrg(owner, () => bills.markPaid(bill.id, { paidAt: '2026-07-30', bankLineId: 'A900001' }));
      await expect(
        inOrg(owner, () => bills.markPaid(bill.id, { paidAt: '2026-07-30', bankLineId: 'A900002' })),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const paid = (
        await t.http
          .get(api(`/bills/${bill.id}`))
          .set(owner.auth)
          .expect(200)
      ).body;
      expect(paid).toMatchObject({ status: 'paid', paidAt: '2026-07-30', bankLineId: 'A900001' });
      const locked = await t.http
        .patch(api(`/bills/${bill.id}`))
        .set(owner.auth)
        .send({ amount: 100 })
        .expect(409);
      expect(locked.body).toMatchObject({
        code: 'LINKED_TO_BANK_LINE',
        details: { bankLineId: 'A900001', fields: ['amount'] },
      });
      await t.http
        .patch(api(`/bills/${bill.id}`))
        .set(owner.auth)
        .send({ description: 'Elräkning juli' })
        .expect(200);
      expect(
        (
          await t.http
            .delete(api(`/bills/${bill.id}`))
            .set(owner.auth)
            .expect(409)
        ).body.code,
      ).toBe('LINKED_TO_BANK_LINE');
      const matchedAfter = await inOrg(owner, () =>
        bills.findOpenForMatching({
          amountMin: 99000,
          amountMax: 100000,
          dueFrom: '2026-07-01',
          dueTo: '2026-08-31',
        }),
      );
      expect(matchedAfter).toEqual([]);

      await inOrg(owner, () => bills.reopen(bill.id));
      await inOrg(owner, () => bills.reopen(bill.id)); // idempotent
      expect(
        (
          await t.http
            .get(api(`/bills/${bill.id}`))
            .set(owner.auth)
            .expect(200)
        ).body,
      ).toMatchObject({
        status: 'open',
        paidAt: null,
        bankLineId: null,
      });
      const audit = await t.http
        .get(api(`/audit?targetId=${bill.id}`))
        .set(owner.auth)
        .expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
        'bill.reopened',
        'bill.updated',
        'bill.paid',
        'bill.created',
      ]);
      await t.http
        .delete(api(`/bills/${bill.id}`))
        .set(owner.auth)
        .expect(200);
    });

    it('the bank contract: transactions for matching, create from bank, link and unlink; suppliers and categories', async () => {
      const transactions = t.app.get(TransactionsService);
      const manual = (
        await t.http
          .post(api('/transactions'))
          .set(owner.auth)
          .send({
            date: '2026-08-03',
            amount: 31200,
            type: 'expense',
            description: 'Vattenfall el',
            supplierId: vattenfall.id,
          })
          .expect(201)
      ).body;
      expect(manual.categoryId).toBe(byName('El').id); // the supplier's default category
      const candidates = await inOrg(owner, () =>
        transactions.findUnlinkedForMatching({
          amountMin: 31200,
          amountMax: 31200,
          dateFrom: '2026-08-01',
          dateTo: '2026-08-05',
        }),
      );
      expect(candidates).toEqual([
        {
          id: manual.id,
          date: '2026-08-03',
          amount: 31200,
          type: 'expense',
          description: 'Vattenfall el',
          supplierId: vattenfall.id,
          supplierName: 'Vattenfall',
          categoryId: byName('El').id,
        },
      ]);
      await inOrg(owner, () => transactions.linkBankLine(manual.id, 'A900010'));
      await expect(inOrg(owner, () => transactions.linkBankLine(manual.id, 'A900011'))).rejects.toMatchObject(
        {
          code: 'LINKED_TO_BANK_LINE',
        },
      );
      expect(
        await inOrg(owner, () =>
          transactions.findUnlinkedForMatching({
            amountMin: 31200,
            amountMax: 31200,
            dateFrom: '2026-08-01',
            dateTo: '2026-08-05',
          }),
        ),
      ).toEqual([]);
      const locked = await t.http
        .patch(api(`/transactions/${manual.id}`))
        .set(owner.auth)
        .send({ amount: 1 })
        .expect(409);
      expect(locked.body.code).toBe('LINKED_TO_BANK_LINE');
      expect(
        (
          await t.http
            .delete(api(`/transactions/${manual.id}`))
            .set(owner.auth)
            .expect(409)
        ).body.code,
      ).toBe('LINKED_TO_BANK_LINE');
      await inOrg(owner, () => transactions.linkBankLine(manual.id, null));
      expect(
        (
          await t.http
            .get(api(`/transactions/${manual.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.bankLineId,
      ).toBeNull();

      const fromBank = await inOrg(owner, () =>
        transactions.createFromBank({
          date: '2026-08-04',
          amount: 4500,
          type: 'expense',
          description: 'KORTKÖP ICA',
          categoryId: byName('Livsmedel').id,
          bankLineId: 'A900012',
        }),
      );
      expect(
        (
          await t.http
            .get(api(`/transactions/${fromBank.id}`))
            .set(owner.auth)
            .expect(200)
        ).body,
      ).toMatchObject({
        source: 'bank',
        bankLineId: 'A900012',
        period: '2026-08',
        currency: 'SEK',
        categoryId: byName('Livsmedel').id,
      });
      await expect(
        inOrg(owner, () =>
          transactions.createFromBank({
            date: '2026-08-04',
            amount: 4500,
            type: 'income',
            description: 'x',
            categoryId: byName('Livsmedel').id,
            bankLineId: 'A900013',
          }),
        ),
      ).rejects.toMatchObject({ code: 'CATEGORY_KIND_MISMATCH' });
      await expect(inOrg(other, () => transactions.linkBankLine(manual.id, 'A900014'))).rejects.toMatchObject(
        { code: 'NOT_FOUND' },
      );

      const suppliers = await inOrg(owner, () => t.app.get(SuppliersService).listForMatching());
      expect(suppliers).toEqual(
        expect.arrayContaining([
          {
            id: vattenfall.id,
            name: 'Vattenfall',
            aliases: ['vattenfall ab'],
            defaultCategoryId: byName('El').id,
          },
        ]),
      );
      expect(await inOrg(other, () => t.app.get(SuppliersService).listForMatching())).toEqual([]);
    });
  });

  describe('trash and read-only organizations', () => {
    it('DELETE answers the undo payload; restore brings a record back; a taken name blocks it', async () => {
      const tx = (
        await t.http
          .post(api('/transactions'))
          .set(owner.auth)
          .send({ date: '2026-10-01', amount: 700, type: 'expense', description: 'Ångra mig' })
          .expect(201)
      ).body;
      const deleted = await t.http
        .delete(api(`/transactions/${tx.id}`))
        .set(owner.auth)
        .expect(200);
      expect(deleted.body).toEqual({
        id: tx.id,
        type: 'transaction',
        deletedAt: expect.any(String),
        undo: { method: 'POST', href: `/api/v1/trash/${tx.id}/restore` },
        expiresAt: expect.any(String),
      });
      await t.http
        .get(api(`/transactions/${tx.id}`))
        .set(owner.auth)
        .expect(404);
      await t.http
        .post(deleted.body.undo.href as string)
        .set(owner.auth)
        .expect((r) => expect([200, 201]).toContain(r.status));
      expect(
        (
          await t.http
            .get(api(`/transactions/${tx.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.description,
      ).toBe('Ångra mig');

      const category = (
        await t.http
          .post(api('/categories'))
          .set(owner.auth)
          .send({ name: 'Tillfällig', kind: 'expense' })
          .expect(201)
      ).body;
      const gone = await t.http
        .delete(api(`/categories/${category.id}`))
        .set(owner.auth)
        .expect(200);
      expect(gone.body).toMatchObject({ id: category.id, type: 'category', moved: null });
      const again = (
        await t.http
          .post(api('/categories'))
          .set(owner.auth)
          .send({ name: 'tillfällig', kind: 'expense' })
          .expect(201)
      ).body;
      const blocked = await t.http
        .post(api(`/trash/${category.id}/restore`))
        .set(owner.auth)
        .expect(409);
      expect(blocked.body).toMatchObject({
        code: 'RESTORE_NAME_TAKEN',
        details: { field: 'name', value: 'Tillfällig' },
      });
      await t.http
        .delete(api(`/categories/${again.id}`))
        .set(owner.auth)
        .expect(200);
      await t.http
        .post(api(`/trash/${category.id}/restore`))
        .set(owner.auth)
        .expect((r) => expect([200, 201]).toContain(r.status));
      expect(
        (
          await t.http
            .get(api(`/categories/${category.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.name,
      ).toBe('Tillfällig');

      const supplier = (
        await t.http.post(api('/suppliers')).set(owner.auth).send({ name: 'Papperskorgen AB' }).expect(201)
      ).body;
      expect(
        (
          await t.http
            .delete(api(`/suppliers/${supplier.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.type,
      ).toBe('supplier');
      const trash = await t.http.get(api('/trash')).set(owner.auth).expect(200);
      expect(trash.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: supplier.id, type: 'supplier', label: 'Papperskorgen AB' }),
        ]),
      );
    });

    it('a read-only organization reads but cannot write (403 ACCOUNT_READ_ONLY)', async () => {
      const free = await createUser(t, { name: 'Gratis' }); // no activatePro: the free plan
      const list = await t.http.get(api('/categories')).set(free.auth).expect(200);
      expect((list.body as Category[]).length).toBe(countDefaults('household'));
      await t.http.get(api('/transactions')).set(free.auth).expect(200);
      await t.http.get(api('/economy/dashboard')).set(free.auth).expect(200);
      const writes = [
        t.http
          .post(api('/transactions'))
          .set(free.auth)
          .send({ date: '2026-10-01', amount: 1, type: 'expense', description: 'x' }),
        t.http
          .post(api('/transactions/bulk'))
          .set(free.auth)
          .send({ items: [{ date: '2026-10-01', amount: 1, type: 'expense', description: 'x' }] }),
        t.http.post(api('/categories')).set(free.auth).send({ name: 'X', kind: 'expense' }),
        t.http
          .patch(api(`/categories/${(list.body as Category[])[0]?.id}`))
          .set(free.auth)
          .send({ name: 'Y' }),
        t.http.delete(api(`/categories/${(list.body as Category[])[0]?.id}`)).set(free.auth),
        t.http.post(api('/suppliers')).set(free.auth).send({ name: 'X' }),
        t.http
          .post(api('/bills'))
          .set(free.auth)
          .send({ supplierId: 'A999999', amount: 1, dueDate: '2026-10-01' }),
      ];
      for (const res of await Promise.all(writes)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('ACCOUNT_READ_ONLY');
      }
      expect(
        await t.db.collection('transactions').countDocuments({ organizationId: free.organizationId }),
      ).toBe(0);
    });
  });

  describe('organization B cannot reach organization A', () => {
    it("reads, writes and references of A's records answer exactly like missing ones", async () => {
      const category = byName('Livsmedel');
      const supplier = (
        await t.http.post(api('/suppliers')).set(owner.auth).send({ name: 'Hemligt AB' }).expect(201)
      ).body;
      const bill = (
        await t.http
          .post(api('/bills'))
          .set(owner.auth)
          .send({ supplierId: supplier.id, amount: 500, dueDate: '2026-09-01' })
          .expect(201)
      ).body;
      const tx = (
        await t.http
          .post(api('/transactions'))
          .set(owner.auth)
          .send({ date: '2026-09-01', amount: 500, type: 'expense', description: 'Hemligt' })
          .expect(201)
      ).body;
      const missing = 'A999995';
      const recordTypeOf: Record<string, string> = {
        categories: 'category',
        suppliers: 'supplier',
        bills: 'bill',
        transactions: 'transaction',
      };
      for (const [path, id] of [
        ['categories', category.id],
        ['suppliers', supplier.id],
        ['bills', bill.id],
        ['transactions', tx.id],
      ] as const) {
        const expected = withoutRequestId(
          await t.http
            .get(api(`/${path}/${missing}`))
            .set(other.auth)
            .expect(404),
        );
        expect(expected).toEqual({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: 'Not found',
          details: { type: recordTypeOf[path] },
        });
        expect(
          withoutRequestId(
            await t.http
              .get(api(`/${path}/${id}`))
              .set(other.auth)
              .expect(404),
          ),
        ).toEqual(expected);
        expect(
          withoutRequestId(
            await t.http
              .delete(api(`/${path}/${id}`))
              .set(other.auth)
              .expect(404),
          ),
        ).toEqual(expected);
        // a wrong-shape id is the same 404
        expect(
          withoutRequestId(
            await t.http
              .get(api(`/${path}/not-an-id`))
              .set(other.auth)
              .expect(404),
          ),
        ).toEqual(expected);
      }
      const patches: [string, string, Record<string, unknown>][] = [
        ['categories', category.id, { name: 'Stulen' }],
        ['suppliers', supplier.id, { name: 'Stulen' }],
        ['bills', bill.id, { amount: 1 }],
        ['transactions', tx.id, { amount: 1 }],
      ];
      for (const [path, id, body] of patches) {
        const res = await t.http
          .patch(api(`/${path}/${id}`))
          .set(other.auth)
          .send(body)
          .expect(404);
        expect(withoutRequestId(res)).toEqual({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: 'Not found',
          details: { type: recordTypeOf[path] },
        });
      }
      // referencing A's records from B's writes: the same error as a missing id
      const refMissing = await t.http
        .post(api('/transactions'))
        .set(other.auth)
        .send({ date: '2026-09-01', amount: 1, type: 'expense', description: 'x', categoryId: missing })
        .expect(400);
      const refForeign = await t.http
        .post(api('/transactions'))
        .set(other.auth)
        .send({ date: '2026-09-01', amount: 1, type: 'expense', description: 'x', categoryId: category.id })
        .expect(400);
      expect(withoutRequestId(refForeign)).toEqual(withoutRequestId(refMissing));
      const billForeign = await t.http
        .post(api('/bills'))
        .set(other.auth)
        .send({ supplierId: supplier.id, amount: 1, dueDate: '2026-09-01' })
        .expect(400);
      expect(billForeign.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'supplierId' } });
      // lists never show A's records; naming A's organization is a 404
      const list = await t.http.get(api('/suppliers?q=hemligt')).set(other.auth).expect(200);
      expect(list.body.items).toEqual([]);
      const txs = await t.http.get(api('/transactions?text=hemligt')).set(other.auth).expect(200);
      expect(txs.body.items).toEqual([]);
      await t.http.get(api('/transactions')).set(as(other, owner.organizationId)).expect(404);
      // and nothing of A changed
      expect(
        (
          await t.http
            .get(api(`/transactions/${tx.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.amount,
      ).toBe(500);
      expect(
        (
          await t.http
            .get(api(`/suppliers/${supplier.id}`))
            .set(owner.auth)
            .expect(200)
        ).body.name,
      ).toBe('Hemligt AB');
    });
  });
});
