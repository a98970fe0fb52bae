import type { Response } from 'supertest';
import { Clock } from '../src/infrastructure/clock/clock';
import { parseGlobalId } from '../src/infrastructure/mongo/global-id';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Transactions: CRUD with validation, every list filter and sort checked against the same data computed here,
 * cursor pages walked to the end, bulk create (1000, consecutive ids, all-or-nothing), and statistics and the
 * dashboard totals matching the inserted data.
 */

const api = (path: string) => `/api/v1${path}`;

interface Category {
  id: string;
  name: string;
  parentId: string | null;
}
interface Tx {
  id: string;
  date: string;
  amount: number;
  type: 'income' | 'expense';
  currency: string;
  description: string;
  note: string | null;
  supplierId: string | null;
  categoryId: string | null;
  tags: string[];
}
interface Item {
  date: string;
  amount: number;
  type: 'income' | 'expense';
  description: string;
  categoryId?: string | null;
  supplierId?: string | null;
  tags?: string[];
  note?: string | null;
  currency?: string;
}

describe('economy: transactions, statistics, dashboard', () => {
  let t: TestApp;
  let user: TestUser;
  let cats: Record<string, Category>;
  let ica: string;
  let vattenfall: string;
  /** What the bulk insert stored, with ids: the ground truth for every list and statistic below. */
  let data: Tx[];

  async function walk(query: string, limit: number): Promise<Tx[]> {
    const out: Tx[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await t.http
        .get(
          api(`/transactions?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`),
        )
        .set(user.auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      out.push(...(res.body.items as Tx[]));
      cursor = res.body.nextCursor as string | null;
      if (++pages > 100) throw new Error('too many pages');
    } while (cursor);
    return out;
  }
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const sortedIds = (rows: { id: string }[]) => ids(rows).sort();

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t, { name: 'Kassör' });
    await activatePro(t, user.organizationId);
    const list = (await t.http.get(api('/categories')).set(user.auth).expect(200)).body as Category[];
    cats = Object.fromEntries(list.map((c) => [c.name, c]));
    ica = (
      await t.http
        .post(api('/suppliers'))
        .set(user.auth)
        .send({ name: 'ICA Kvantum', aliases: ['ICA KVANTUM SOLNA'] })
        .expect(201)
    ).body.id;
    vattenfall = (
      await t.http.post(api('/suppliers')).set(user.auth).send({ name: 'Vattenfall' }).expect(201)
    ).body.id;

    // 36 transactions over Jan–Apr 2026, varied enough for every filter; amounts repeat to exercise ties.
    const items: Item[] = [];
    const categories = ['Livsmedel', 'Restaurang och café', 'El', 'Kläder och skor'];
    for (let i = 0; i < 30; i++) {
      const month = 1 + (i % 3);
      const day = 1 + ((i * 7) % 28);
      const category = categories[i % categories.length];
      items.push({
        date: `2026-0${month}-${String(day).padStart(2, '0')}`,
        amount: 1000 * (1 + (i % 7)),
        type: 'expense',
        description: i % 5 === 0 ? `ICA Kvantum köp ${i}` : `Köp nr ${i} (kort)`,
        categoryId: cats[category]?.id,
        supplierId: i % 5 === 0 ? ica : category === 'El' ? vattenfall : null,
        tags: i % 4 === 0 ? ['Semester', 'resa'] : [],
        note: i % 6 === 0 ? 'Betald med KREDITKORT' : null,
      });
    }
    items.push({
      date: '2026-01-25',
      amount: 3_500_000,
      type: 'income',
      description: 'Lön januari',
      categoryId: cats['Lön']?.id,
    });
    items.push({
      date: '2026-02-25',
      amount: 3_500_000,
      type: 'income',
      description: 'Lön februari',
      categoryId: cats['Lön']?.id,
    });
    items.push({
      date: '2026-03-25',
      amount: 3_600_000,
      type: 'income',
      description: 'Lön mars',
      categoryId: cats['Lön']?.id,
    });
    items.push({
      date: '2026-03-10',
      amount: 12_345,
      type: 'expense',
      description: 'Okategoriserat 50% [rea]',
      categoryId: null,
    });
    items.push({
      date: '2026-02-14',
      amount: 9_900,
      type: 'expense',
      description: 'Hotell i Berlin',
      currency: 'EUR',
      categoryId: null,
    });
    items.push({
      date: '2026-04-01',
      amount: 5_000,
      type: 'expense',
      description: 'April',
      categoryId: cats['Livsmedel']?.id,
    });
    const res = await t.http.post(api('/transactions/bulk')).set(user.auth).send({ items }).expect(201);
    expect(res.body.count).toBe(items.length);
    data = (res.body.ids as string[]).map((id, i) => {
      const item = items[i];
      return {
        id,
        currency: item.currency ?? 'SEK',
        note: item.note ?? null,
        supplierId: item.supplierId ?? null,
        categoryId: item.categoryId ?? null,
        tags: (item.tags ?? []).map((x) => x.toLowerCase()),
        date: item.date,
        amount: item.amount,
        type: item.type,
        description: item.description,
      };
    });
  });
  afterAll(async () => {
    t.app.get(Clock).reset();
    await t?.close();
  });

  describe('CRUD', () => {
    it('creates with defaults and refuses bad input with the field named', async () => {
      const res = await t.http
        .post(api('/transactions'))
        .set(user.auth)
        .send({
          date: '2026-05-02',
          amount: 19900,
          type: 'expense',
          description: '  Bio  ',
          tags: [' Nöje ', 'nöje'],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        date: '2026-05-02',
        period: '2026-05',
        amount: 19900,
        type: 'expense',
        currency: 'SEK',
        description: 'Bio',
        note: null,
        supplierId: null,
        categoryId: null,
        tags: ['nöje'],
        source: 'manual',
        bankLineId: null,
      });
      expect(parseGlobalId('A', res.body.id)).not.toBeNull();
      const base = { date: '2026-05-02', amount: 100, type: 'expense', description: 'x' };
      for (const [patch, path] of [
        [{ amount: 0 }, 'amount'],
        [{ amount: -100 }, 'amount'],
        [{ amount: 1.25 }, 'amount'],
        [{ amount: 1e12 }, 'amount'],
        [{ date: '2026-02-29' }, 'date'],
        [{ date: '2026-5-2' }, 'date'],
        [{ type: 'transfer' }, 'type'],
        [{ description: '   ' }, 'description'],
        [{ currency: 'SE' }, 'currency'],
        [{ tags: ['x'.repeat(41)] }, 'tags.0'],
        [{ source: 'bank' }, ''],
      ] as const) {
        const bad = await t.http
          .post(api('/transactions'))
          .set(user.auth)
          .send({ ...base, ...patch })
          .expect(400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
        if (path)
          expect(bad.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      }
      const kind = await t.http
        .post(api('/transactions'))
        .set(user.auth)
        .send({ ...base, categoryId: cats['Lön']?.id })
        .expect(400);
      expect(kind.body).toMatchObject({ code: 'CATEGORY_KIND_MISMATCH', details: { field: 'categoryId' } });
      const supplier = await t.http
        .post(api('/transactions'))
        .set(user.auth)
        .send({ ...base, supplierId: 'A999999' })
        .expect(400);
      expect(supplier.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'supplierId' } });
      await t.http
        .delete(api(`/transactions/${res.body.id}`))
        .set(user.auth)
        .expect(200);
    });

    it('updates (period and text follow), audits the changed fields, soft-deletes', async () => {
      const created = (
        await t.http
          .post(api('/transactions'))
          .set(user.auth)
          .send({
            date: '2026-05-20',
            amount: 5000,
            type: 'expense',
            description: 'Tandläkare',
            categoryId: cats['Hälsa och vård']?.id,
          })
          .expect(201)
      ).body;
      const updated = await t.http
        .patch(api(`/transactions/${created.id}`))
        .set(user.auth)
        .send({ date: '2026-06-01', note: 'Folktandvården', tags: ['vård'] })
        .expect(200);
      expect(updated.body).toMatchObject({
        date: '2026-06-01',
        period: '2026-06',
        note: 'Folktandvården',
        amount: 5000,
      });
      const found = await t.http.get(api('/transactions?text=FOLKTANDV')).set(user.auth).expect(200);
      expect(ids(found.body.items)).toEqual([created.id]);
      // switching the type needs a category of the new kind
      const wrong = await t.http
        .patch(api(`/transactions/${created.id}`))
        .set(user.auth)
        .send({ type: 'income' })
        .expect(400);
      expect(wrong.body.code).toBe('CATEGORY_KIND_MISMATCH');
      await t.http
        .patch(api(`/transactions/${created.id}`))
        .set(user.auth)
        .send({ type: 'income', categoryId: cats['Återbetalningar']?.id })
        .expect(200);
      const audit = await t.http
        .get(api(`/audit?targetId=${created.id}&action=transaction.updated`))
        .set(user.auth)
        .expect(200);
      expect(audit.body.items[1].changes).toEqual({
        before: { date: '2026-05-20', note: null, tags: [] },
        after: { date: '2026-06-01', note: 'Folktandvården', tags: ['vård'] },
      });
      const deleted = await t.http
        .delete(api(`/transactions/${created.id}`))
        .set(user.auth)
        .expect(200);
      expect(deleted.body).toEqual({
        id: created.id,
        type: 'transaction',
        deletedAt: expect.any(String),
        undo: { method: 'POST', href: `/api/v1/trash/${created.id}/restore` },
        expiresAt: expect.any(String),
      });
      await t.http
        .get(api(`/transactions/${created.id}`))
        .set(user.auth)
        .expect(404);
      await t.http
        .patch(api(`/transactions/${created.id}`))
        .set(user.auth)
        .send({ amount: 1 })
        .expect(404);
      expect(
        (await t.http.get(api('/transactions?text=folktandv')).set(user.auth).expect(200)).body.items,
      ).toEqual([]);
      const stored = await t.db
        .collection('transactions')
        .findOne({ _id: created.id } as Record<string, unknown>);
      expect(stored).toMatchObject({ isDeleted: true, deletedBy: user.id });
      const deletedAudit = await t.http
        .get(api(`/audit?targetId=${created.id}&action=transaction.deleted`))
        .set(user.auth)
        .expect(200);
      expect(deletedAudit.body.items).toHaveLength(1);
    });
  });

  describe('list: filters, sorting, cursor pages', () => {
    it('walks every page newest first (date, then id), without repeats or gaps', async () => {
      const all = await walk('', 7);
      expect(sortedIds(all)).toEqual(sortedIds(data));
      const expected = [...data].sort((a, b) =>
        a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.id < b.id ? 1 : -1,
      );
      expect(ids(all)).toEqual(ids(expected));
    });

    it.each([
      ['date', (a: Tx, b: Tx) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id < b.id ? -1 : 1)],
      ['-amount', (a: Tx, b: Tx) => (a.amount !== b.amount ? b.amount - a.amount : a.id < b.id ? 1 : -1)],
      ['amount', (a: Tx, b: Tx) => (a.amount !== b.amount ? a.amount - b.amount : a.id < b.id ? -1 : 1)],
    ])('sort=%s across pages', async (sort, compare) => {
      const all = await walk(`sort=${sort}`, 5);
      expect(ids(all)).toEqual(ids([...data].sort(compare)));
    });

    it.each<[string, (tx: Tx) => boolean]>([
      ['from=2026-02-01&to=2026-02-28', (x) => x.date >= '2026-02-01' && x.date <= '2026-02-28'],
      ['type=income', (x) => x.type === 'income'],
      ['amountMin=3000&amountMax=5000', (x) => x.amount >= 3000 && x.amount <= 5000],
      ['tag=SEMESTER', (x) => x.tags.includes('semester')],
      ['text=kvantum', (x) => /kvantum/i.test(x.description)],
      ['text=kreditkort', (x) => /kreditkort/i.test(x.note ?? '')],
      ['text=50%25 [rea]', (x) => x.description.includes('50% [rea]')],
      ['text=(kort)', (x) => x.description.includes('(kort)')],
      ['text=.*', () => false],
      ['currency=EUR', (x) => x.currency === 'EUR'],
    ])('%s', async (query, predicate) => {
      const expected = data.filter(predicate);
      expect(sortedIds(await walk(query, 6))).toEqual(sortedIds(expected));
    });

    it('category includes its subcategories; supplier; combined filters', async () => {
      const food = cats['Mat'];
      const children = Object.values(cats)
        .filter((c) => c.parentId === food.id)
        .map((c) => c.id);
      expect(children.length).toBeGreaterThanOrEqual(2);
      const inFood = data.filter((x) => x.categoryId !== null && children.includes(x.categoryId));
      expect(inFood.length).toBeGreaterThan(0);
      expect(sortedIds(await walk(`categoryId=${food.id}`, 10))).toEqual(sortedIds(inFood));
      const groceries = cats['Livsmedel'];
      expect(sortedIds(await walk(`categoryId=${groceries.id}`, 10))).toEqual(
        sortedIds(data.filter((x) => x.categoryId === groceries.id)),
      );
      expect(sortedIds(await walk(`supplierId=${vattenfall}`, 10))).toEqual(
        sortedIds(data.filter((x) => x.supplierId === vattenfall)),
      );
      const combined = data.filter(
        (x) =>
          x.categoryId !== null &&
          children.includes(x.categoryId) &&
          x.date >= '2026-01-01' &&
          x.date <= '2026-03-31' &&
          x.amount >= 2000 &&
          x.supplierId === ica,
      );
      expect(combined.length).toBeGreaterThan(0);
      const got = await walk(
        `categoryId=${food.id}&from=2026-01-01&to=2026-03-31&amountMin=2000&supplierId=${ica}&sort=-amount`,
        2,
      );
      expect(ids(got)).toEqual(
        ids(
          [...combined].sort((a, b) => (a.amount !== b.amount ? b.amount - a.amount : a.id < b.id ? 1 : -1)),
        ),
      );
    });

    it('refuses bad queries: ranges, a cursor of another sort, unknown parameters', async () => {
      const first = await t.http.get(api('/transactions?limit=2')).set(user.auth).expect(200);
      const other = await t.http
        .get(api(`/transactions?limit=2&sort=amount&cursor=${first.body.nextCursor}`))
        .set(user.auth)
        .expect(400);
      expect(other.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'cursor' })],
      });
      for (const q of [
        'from=2026-03-01&to=2026-02-01',
        'amountMin=10&amountMax=5',
        'amountMin=-1',
        'sort=name',
        'limit=101',
        'limit=0',
        'colour=red',
        'from=2026-13-01',
        'categoryId=x',
      ]) {
        const res = await t.http
          .get(api(`/transactions?${q}`))
          .set(user.auth)
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('bulk create', () => {
    let orgId: string;
    const headers = () => ({ ...user.auth, 'X-Organization-Id': orgId });

    beforeAll(async () => {
      orgId = (
        await t.http
          .post(api('/organizations'))
          .set(user.auth)
          .send({ name: 'Bulkbolaget', type: 'company' })
          .expect(201)
      ).body.id;
      await activatePro(t, orgId);
    });

    it('1000 transactions in one call get 1000 consecutive ids, in item order', async () => {
      const items = Array.from({ length: 1000 }, (_, i) => ({
        date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-15`,
        amount: 100 + i,
        type: 'expense',
        description: `Rad ${i}`,
        source: 'import',
      }));
      const res = await t.http.post(api('/transactions/bulk')).set(headers()).send({ items }).expect(201);
      expect(res.body.count).toBe(1000);
      const numbers = (res.body.ids as string[]).map((id) => parseGlobalId('A', id) as number);
      for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[0] + i);
      const stored = await t.db.collection('transactions').find({ organizationId: orgId }).toArray();
      expect(stored).toHaveLength(1000);
      const byId = new Map(stored.map((s) => [s._id as unknown as string, s]));
      const last = byId.get(res.body.ids[999] as string);
      expect(last).toMatchObject({
        description: 'Rad 999',
        amount: 1099,
        source: 'import',
        period: '2025-04',
        isDeleted: false,
      });
      const audit = await t.http
        .get(api('/audit?action=transaction.bulk_created'))
        .set(headers())
        .expect(200);
      expect(audit.body.items[0].metadata).toEqual({
        count: 1000,
        firstId: res.body.ids[0],
        lastId: res.body.ids[999],
      });
    });

    it('all or nothing: a bad item or reference writes nothing; more than 1000 is refused', async () => {
      const before = await t.db.collection('transactions').countDocuments({ organizationId: orgId });
      const good = { date: '2025-06-01', amount: 100, type: 'expense', description: 'ok' };
      const invalid = await t.http
        .post(api('/transactions/bulk'))
        .set(headers())
        .send({ items: [good, { ...good, amount: 0 }] })
        .expect(400);
      expect(invalid.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'items.1.amount' })]),
      );
      const badRef = await t.http
        .post(api('/transactions/bulk'))
        .set(headers())
        .send({ items: [good, good, { ...good, categoryId: 'A999999' }, { ...good, supplierId: 'A999998' }] })
        .expect(400);
      expect(badRef.body).toMatchObject({
        code: 'INVALID_REFERENCE',
        details: [
          { index: 2, field: 'categoryId', code: 'INVALID_REFERENCE' },
          { index: 3, field: 'supplierId', code: 'INVALID_REFERENCE' },
        ],
      });
      const tooMany = await t.http
        .post(api('/transactions/bulk'))
        .set(headers())
        .send({ items: Array.from({ length: 1001 }, () => good) })
        .expect(400);
      expect(tooMany.body.code).toBe('VALIDATION_FAILED');
      await t.http.post(api('/transactions/bulk')).set(headers()).send({ items: [] }).expect(400);
      expect(await t.db.collection('transactions').countDocuments({ organizationId: orgId })).toBe(before);
    });
  });

  describe('statistics', () => {
    const sek = () =>
      data.filter((x) => x.currency === 'SEK' && x.date >= '2026-01-01' && x.date <= '2026-03-31');
    const totals = (rows: Tx[]) => {
      const income = rows.filter((x) => x.type === 'income').reduce((s, x) => s + x.amount, 0);
      const expense = rows.filter((x) => x.type === 'expense').reduce((s, x) => s + x.amount, 0);
      return { income, expense, net: income - expense, count: rows.length };
    };

    it('by month: every month of the range, totals equal to the data (other currencies and dates left out)', async () => {
      const res = await t.http
        .get(api('/economy/stats?from=2026-01-01&to=2026-03-31&groupBy=month'))
        .set(user.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        from: '2026-01-01',
        to: '2026-03-31',
        groupBy: 'month',
        currency: 'SEK',
      });
      expect(res.body.totals).toEqual(totals(sek()));
      expect(res.body.groups).toEqual(
        ['2026-01', '2026-02', '2026-03'].map((p) => ({
          key: p,
          label: p,
          ...totals(sek().filter((x) => x.date.startsWith(p))),
        })),
      );
      const withEmpty = await t.http
        .get(api('/economy/stats?from=2025-12-01&to=2026-01-31'))
        .set(user.auth)
        .expect(200);
      expect(withEmpty.body.groups[0]).toEqual({
        key: '2025-12',
        label: '2025-12',
        income: 0,
        expense: 0,
        net: 0,
        count: 0,
      });
      const eur = await t.http
        .get(api('/economy/stats?from=2026-01-01&to=2026-12-31&currency=eur'))
        .set(user.auth)
        .expect(200);
      expect(eur.body.totals).toEqual({ income: 0, expense: 9900, net: -9900, count: 1 });
    });

    it('by category (as recorded, and rolled up to root categories) and by supplier', async () => {
      const res = await t.http
        .get(api('/economy/stats?from=2026-01-01&to=2026-03-31&groupBy=category'))
        .set(user.auth)
        .expect(200);
      const keys = [...new Set(sek().map((x) => x.categoryId))];
      expect(res.body.groups).toHaveLength(keys.length);
      for (const key of keys) {
        const group = (res.body.groups as { key: string | null }[]).find((g) => g.key === key);
        expect(group).toMatchObject(totals(sek().filter((x) => x.categoryId === key)));
      }
      const groceries = (res.body.groups as { key: string; label: string }[]).find(
        (g) => g.key === cats['Livsmedel']?.id,
      );
      expect(groceries?.label).toBe('Mat / Livsmedel');
      expect(
        (res.body.groups as { key: string | null; label: string }[]).find((g) => g.key === null)?.label,
      ).toBe('Utan kategori');
      // sorted by volume
      const volumes = (res.body.groups as { income: number; expense: number }[]).map(
        (g) => g.income + g.expense,
      );
      expect(volumes).toEqual([...volumes].sort((a, b) => b - a));

      const rolled = await t.http
        .get(api('/economy/stats?from=2026-01-01&to=2026-03-31&groupBy=category&rollup=true'))
        .set(user.auth)
        .expect(200);
      const food = cats['Mat'];
      const foodChildren = Object.values(cats)
        .filter((c) => c.parentId === food.id)
        .map((c) => c.id);
      const foodGroup = (rolled.body.groups as { key: string }[]).find((g) => g.key === food.id);
      expect(foodGroup).toMatchObject({
        label: 'Mat',
        ...totals(sek().filter((x) => x.categoryId !== null && foodChildren.includes(x.categoryId))),
      });
      expect(
        (rolled.body.groups as { key: string }[]).find((g) => g.key === cats['Livsmedel']?.id),
      ).toBeUndefined();
      expect(rolled.body.totals).toEqual(res.body.totals);

      const bySupplier = await t.http
        .get(api('/economy/stats?from=2026-01-01&to=2026-03-31&groupBy=supplier'))
        .set(user.auth)
        .expect(200);
      expect((bySupplier.body.groups as { key: string }[]).find((g) => g.key === ica)).toMatchObject({
        label: 'ICA Kvantum',
        ...totals(sek().filter((x) => x.supplierId === ica)),
      });
      expect((bySupplier.body.groups as { key: string | null }[]).find((g) => g.key === null)).toMatchObject({
        label: 'Utan leverantör',
        ...totals(sek().filter((x) => x.supplierId === null)),
      });
      for (const q of [
        'from=2026-02-01&to=2026-01-01',
        'from=2000-01-01&to=2026-01-01',
        'groupBy=week&from=2026-01-01&to=2026-02-01',
        'to=2026-01-01',
      ]) {
        expect(
          (
            await t.http
              .get(api(`/economy/stats?${q}`))
              .set(user.auth)
              .expect(400)
          ).body.code,
        ).toBe('VALIDATION_FAILED');
      }
    });

    it('the dashboard: this month vs last, top categories, 12-month trend, income vs expense', async () => {
      // 23:30 UTC on 31 March is already 1 April in Sweden: the dashboard's "this month" is April
      t.app.get(Clock).travelTo(new Date('2026-03-31T22:30:00Z'));
      const april = (await t.http.get(api('/economy/dashboard')).set(user.auth).expect(200)).body;
      expect(april.today).toBe('2026-04-01');
      expect(april.thisMonth).toEqual({ period: '2026-04', income: 0, expense: 5000, net: -5000, count: 1 });

      t.app.get(Clock).travelTo(new Date('2026-03-15T12:00:00Z'));
      const res = await t.http.get(api('/economy/dashboard')).set(user.auth).expect(200);
      const month = (p: string) => totals(data.filter((x) => x.currency === 'SEK' && x.date.startsWith(p)));
      expect(res.body.thisMonth).toEqual({ period: '2026-03', ...month('2026-03') });
      expect(res.body.lastMonth).toEqual({ period: '2026-02', ...month('2026-02') });
      const pct = (now: number, before: number) => Math.round(((now - before) / before) * 1000) / 10;
      expect(res.body.change).toEqual({
        income: pct(month('2026-03').income, month('2026-02').income),
        expense: pct(month('2026-03').expense, month('2026-02').expense),
      });
      expect(res.body.trend).toHaveLength(12);
      expect(res.body.trend[0]).toEqual({ period: '2025-04', income: 0, expense: 0, net: 0, count: 0 });
      expect(res.body.trend[11].period).toBe('2026-03');
      expect(res.body.trend[9]).toEqual({ period: '2026-01', ...month('2026-01') });
      const year = totals(
        data.filter((x) => x.currency === 'SEK' && x.date >= '2025-04-01' && x.date <= '2026-03-31'),
      );
      expect(res.body.incomeVsExpense).toEqual({
        ...year,
        savingsRate: Math.round((year.net / year.income) * 1000) / 1000,
      });

      // top expense categories this month, subcategories added into their root
      const march = data.filter(
        (x) => x.currency === 'SEK' && x.type === 'expense' && x.date.startsWith('2026-03'),
      );
      const rootOf = (id: string | null) => {
        if (!id) return null;
        const c = Object.values(cats).find((x) => x.id === id) as Category;
        return c.parentId ?? c.id;
      };
      const byRoot = new Map<string | null, number>();
      for (const x of march)
        byRoot.set(rootOf(x.categoryId), (byRoot.get(rootOf(x.categoryId)) ?? 0) + x.amount);
      const expected = [...byRoot.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
      expect(
        res.body.topCategories.map((c: { categoryId: string | null; amount: number }) => [
          c.categoryId,
          c.amount,
        ]),
      ).toEqual(expected);
      expect(
        res.body.topCategories.find((c: { categoryId: string }) => c.categoryId === cats['Mat']?.id)?.name,
      ).toBe('Mat');
      const share = res.body.topCategories[0].share as number;
      expect(share).toBeCloseTo(expected[0]?.[1] / month('2026-03').expense, 3);
    });
  });
});
