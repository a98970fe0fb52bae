import {
  CategorizationModel,
  DEFAULT_PARAMS,
  mapCanonical,
  type ModelCategory,
  type TrainingExample,
} from './model';

const CATEGORIES: ModelCategory[] = [
  { id: 'C1', name: 'Lön', kind: 'income', defaultKey: 'salary' },
  { id: 'C2', name: 'Mat', kind: 'expense', defaultKey: 'food' },
  { id: 'C3', name: 'Livsmedel', kind: 'expense', parentId: 'C2', defaultKey: 'groceries' },
  { id: 'C4', name: 'Restaurang och café', kind: 'expense', parentId: 'C2', defaultKey: 'restaurants' },
  { id: 'C5', name: 'Boende', kind: 'expense', defaultKey: 'housing' },
  { id: 'C6', name: 'Hyra och avgift', kind: 'expense', parentId: 'C5', defaultKey: 'rent' },
  { id: 'C7', name: 'Övriga utgifter', kind: 'expense', defaultKey: 'other_expense' },
  { id: 'C8', name: 'Nöje', kind: 'expense', defaultKey: null },
];

const ex = (text: string, categoryId: string, extra: Partial<TrainingExample> = {}): TrainingExample => ({
  text,
  categoryId,
  supplierId: null,
  supplierName: null,
  amount: 30_000,
  type: 'expense',
  ...extra,
});

describe('mapCanonical', () => {
  it('finds canonical categories by default key first (most specific), then by name or synonym', () => {
    const map = mapCanonical(CATEGORIES);
    expect(map.get('groceries:expense')).toBe('C3');
    expect(map.get('restaurants:expense')).toBe('C4');
    expect(map.get('housing:expense')).toBe('C6');
    expect(map.get('salary:income')).toBe('C1');
    expect(map.get('leisure:expense')).toBe('C8'); // by name: "Nöje" is a synonym
    expect(map.has('insurance:expense')).toBe(false); // nothing fits: the prior says nothing for it
  });

  it('a renamed or user-made category is found by its name (sv or en)', () => {
    const map = mapCanonical([
      { id: 'X', name: 'Groceries', kind: 'expense' },
      { id: 'Y', name: 'Försäkringar', kind: 'expense' },
    ]);
    expect(map.get('groceries:expense')).toBe('X');
    expect(map.get('insurance:expense')).toBe('Y');
  });
});

describe('CategorizationModel', () => {
  it('with no history: the built-in prior (known merchant) with a reason, never sure', () => {
    const model = new CategorizationModel(CATEGORIES, []);
    const p = model.predict({ text: 'KORTKÖP 261128 ICA NARA STHLM 4432', amount: 45_650, type: 'expense' });
    expect(p.merchant).toMatchObject({ key: 'ica', name: 'ICA', known: true });
    expect(p.ranked[0].categoryId).toBe('C3');
    expect(p.ranked[0].confidence).toBeLessThan(0.95);
    expect(p.ranked[0].reasons.map((r) => r.en)).toContain(
      'ICA is in the built-in knowledge base as Groceries',
    );
  });

  it('a dictionary word in the text: "hyra" → rent, with the reason', () => {
    const model = new CategorizationModel(CATEGORIES, []);
    const p = model.predict({ text: 'HYRA DECEMBER LGH 1102', amount: 850_000, type: 'expense' });
    expect(p.ranked[0].categoryId).toBe('C6');
    expect(p.ranked[0].reasons).toContainEqual({
      sv: "Texten innehåller 'hyra'",
      en: "The text contains 'hyra'",
    });
  });

  it('learns the organization’s habit over the prior, and says how often', () => {
    const rows = Array.from({ length: 14 }, () => ex('ICA NARA 12', 'C2'));
    rows.push(ex('ICA NARA 12', 'C3'));
    const p = new CategorizationModel(CATEGORIES, rows).predict({
      text: 'ICA NÄRA STHLM',
      amount: 20_000,
      type: 'expense',
    });
    expect(p.ranked[0].categoryId).toBe('C2');
    expect(p.ranked[0].reasons[0]).toEqual({
      sv: 'Samma leverantör har bokförts som Mat 14 av 15 gånger',
      en: 'Same supplier was booked as Mat 14 of 15 times',
    });
  });

  it('a correction is training data at once: learn() changes the next answer', () => {
    const model = new CategorizationModel(CATEGORIES, [ex('NILSSONS HANDEL', 'C7')]);
    expect(
      model.predict({ text: 'NILSSONS HANDEL', amount: 30_000, type: 'expense' }).ranked[0].categoryId,
    ).toBe('C7');
    for (let i = 0; i < 3; i++) model.learn(ex('NILSSONS HANDEL', 'C8'));
    expect(
      model.predict({ text: 'NILSSONS HANDEL', amount: 30_000, type: 'expense' }).ranked[0].categoryId,
    ).toBe('C8');
  });

  it('supplier history by id wins over the text', () => {
    const rows = Array.from({ length: 5 }, () =>
      ex('ICA', 'C8', { supplierId: 'S1', supplierName: 'Kalles' }),
    );
    const p = new CategorizationModel(CATEGORIES, rows).predict({
      text: 'ICA MAXI',
      supplierId: 'S1',
      supplierName: 'Kalles',
      amount: 10_000,
      type: 'expense',
    });
    expect(p.ranked[0].categoryId).toBe('C8');
  });

  it('the supplier’s default category counts as bookings, with a reason', () => {
    const p = new CategorizationModel(CATEGORIES, []).predict({
      text: 'okänd betalning',
      supplierId: 'S9',
      amount: 10_000,
      type: 'expense',
      supplierDefaultCategoryId: 'C8',
    });
    expect(p.ranked[0].categoryId).toBe('C8');
    expect(p.ranked[0].reasons.map((r) => r.en)).toContain("Nöje is the supplier's default category");
  });

  it('only categories of the direction compete; none of that kind → empty ranking', () => {
    const model = new CategorizationModel(CATEGORIES, []);
    const income = model.predict({ text: 'LÖN ACME AB', amount: 3_200_000, type: 'income' });
    expect(income.ranked.map((r) => r.categoryId)).toEqual(['C1']);
    expect(
      new CategorizationModel([CATEGORIES[1]], []).predict({ text: 'x', amount: 1, type: 'income' }).ranked,
    ).toEqual([]);
  });

  it('ignores bookings in unknown categories or of the wrong kind', () => {
    const model = new CategorizationModel(CATEGORIES, [ex('A', 'nope'), ex('B', 'C1')]);
    expect(model.examples).toBe(0);
  });

  describe('calibration edges', () => {
    it('confidences are probabilities: in (0, MAX], ranked best first, summing to at most 1', () => {
      const model = new CategorizationModel(CATEGORIES, [ex('ICA', 'C3'), ex('MAX', 'C4')]);
      const p = model.predict({ text: 'ICA', amount: 100, type: 'expense' });
      const c = p.ranked.map((r) => r.confidence);
      expect(c).toEqual([...c].sort((a, b) => b - a));
      expect(c.every((x) => x > 0 && x <= 0.999)).toBe(true);
      expect(c.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.001);
      expect(p.ranked.length).toBe(DEFAULT_PARAMS.top);
    });

    it('no evidence at all: low confidence and says so', () => {
      const p = new CategorizationModel(CATEGORIES, []).predict({
        text: 'QWXZ 12',
        amount: 100,
        type: 'expense',
      });
      expect(p.ranked[0].confidence).toBeLessThan(0.5);
      expect(p.ranked[0].reasons[0].en).toMatch(/No clear sign/);
    });

    it('grows with consistent history and reaches the automatic threshold only with enough of it', () => {
      const conf = (n: number) =>
        new CategorizationModel(
          CATEGORIES,
          Array.from({ length: n }, () => ex('NILSSONS HANDEL', 'C7')),
        ).predict({ text: 'NILSSONS HANDEL', amount: 30_000, type: 'expense' }).ranked[0].confidence;
      const series = [1, 3, 10, 40].map(conf);
      expect(series).toEqual([...series].sort((a, b) => a - b));
      expect(series[0]).toBeLessThan(0.98);
      expect(series[3]).toBeGreaterThanOrEqual(0.98);
    });

    it('a split history stays below the threshold', () => {
      const rows = [
        ...Array.from({ length: 7 }, () => ex('SWISH ANNA', 'C7')),
        ...Array.from({ length: 3 }, () => ex('SWISH ANNA', 'C8')),
      ];
      const top = new CategorizationModel(CATEGORIES, rows).predict({
        text: 'SWISH ANNA',
        amount: 100,
        type: 'expense',
      }).ranked[0];
      expect(top.categoryId).toBe('C7');
      expect(top.confidence).toBeGreaterThan(0.55);
      expect(top.confidence).toBeLessThan(0.8);
    });
  });
});
