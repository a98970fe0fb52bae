import { detectAnomalies, merchantKey, type Expense } from './anomalies.detect';

let n = 0;
const tx = (
  date: string,
  amount: number,
  supplierId: string | null,
  categoryId: string | null = 'cat',
  description = supplierId ?? 'KORTKÖP',
): Expense => ({
  id: `t${n++}`,
  date,
  amount,
  supplierId,
  categoryId,
  description,
});
/** One charge a month on `day` from 2025-01 for `months` months. */
const monthly = (supplierId: string, amount: number, months: number, day = '05', categoryId = 'subs') =>
  Array.from({ length: months }, (_, i) => {
    const y = 2025 + Math.floor(i / 12);
    const m = String((i % 12) + 1).padStart(2, '0');
    return tx(`${y}-${m}-${day}`, amount, supplierId, categoryId);
  });
const kinds = (found: { kind: string }[]) => found.map((a) => a.kind);

describe('anomaly detection', () => {
  it('finds nothing in an empty or very short history', () => {
    expect(detectAnomalies({ expenses: [] })).toEqual([]);
    // A new organization's first large purchases are not "new merchants": there is no history to be new in.
    expect(
      detectAnomalies({
        expenses: [tx('2026-11-01', 2_500_000, 'elgiganten'), tx('2026-11-02', 60_000, 'ica')],
      }),
    ).toEqual([]);
  });

  it('groups charges without a supplier by their text without digits and references', () => {
    expect(merchantKey({ supplierId: null, description: 'ICA NARA STHLM 4432' })).toBe(
      merchantKey({ supplierId: null, description: 'ica nara sthlm 9911' }),
    );
    expect(merchantKey({ supplierId: 'A000001', description: 'x' })).toBe('A000001');
    expect(merchantKey({ supplierId: null, description: 'KORTKÖP 260301 ICA NARA STHLM 4432' })).toBe(
      merchantKey({ supplierId: null, description: 'ICA NARA 9911' }),
    );
    expect(merchantKey({ supplierId: null, description: 'SWISH ANNA' })).not.toBe(
      merchantKey({ supplierId: null, description: 'SWISH BERTIL' }),
    );
  });

  it('flags an amount far above what a steady merchant charges, with a reason, unless marked normal', () => {
    const history = [...monthly('gym', 39_900, 12), tx('2026-01-05', 399_000, 'gym', 'subs')];
    const [a, ...rest] = detectAnomalies({ expenses: history, supplierNames: new Map([['gym', 'Friskis']]) });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      kind: 'unusual_amount',
      severity: 'high',
      amount: 399_000,
      expected: 39_900,
      key: `unusual_amount:${history[12].id}`,
    });
    expect(a.reason.sv).toMatch(/Friskis drog 3\s990,00\skr/u);
    expect(a.reason.en).toContain('10.0 times as much');
    const normal = detectAnomalies({
      expenses: history,
      rules: [{ kind: 'unusual_amount', subject: 'gym', amount: 399_000 }],
    });
    expect(normal).toEqual([]);
  });

  it('does not flag the odd big supermarket trip', () => {
    const trips = Array.from({ length: 40 }, (_, i) =>
      tx(
        `2025-${String((i % 12) + 1).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
        50_000 + ((i * 37) % 9) * 10_000,
        'ica',
        'food',
      ),
    );
    trips.push(tx('2026-01-10', 180_000, 'ica', 'food'));
    expect(kinds(detectAnomalies({ expenses: trips }))).not.toContain('unusual_amount');
  });

  it('flags a subscription price increase once, but not one entered on its contract', () => {
    const charges = [
      ...monthly('spotify', 10_900, 12),
      tx('2026-01-05', 12_900, 'spotify', 'subs'),
      tx('2026-02-05', 12_900, 'spotify', 'subs'),
    ];
    const found = detectAnomalies({ expenses: charges });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'price_increase',
      expected: 10_900,
      amount: 12_900,
      severity: 'medium',
    });
    expect(found[0].reason.sv).toContain('+18 %');
    const entered = detectAnomalies({
      expenses: charges,
      contracts: [
        {
          id: 'c',
          name: 'Spotify',
          providerId: 'spotify',
          startDate: '2025-01-05',
          endDate: null,
          prices: [
            { from: '2025-01-05', amount: 10_900 },
            { from: '2026-01-05', amount: 12_900 },
          ],
        },
      ],
    });
    expect(entered).toEqual([]);
  });

  it('flags a duplicate charge within 3 days but not two coffees or a habit', () => {
    const base = monthly('ica', 70_000, 6, '10', 'food');
    const dup = [...base, tx('2025-06-12', 70_000, 'ica', 'food')];
    const found = detectAnomalies({ expenses: dup });
    expect(kinds(found)).toEqual(['duplicate_charge']);
    expect(found[0].transactionIds).toEqual([base[5].id, dup[6].id]);
    expect(
      detectAnomalies({
        expenses: [...base, tx('2025-06-10', 4_500, 'cafe'), tx('2025-06-10', 4_500, 'cafe')],
      }),
    ).toEqual([]);
    const fees = [
      tx('2025-01-15', 60_000, 'kulturskolan'),
      tx('2025-01-15', 60_000, 'kulturskolan'),
      tx('2025-08-15', 60_000, 'kulturskolan'),
      tx('2025-08-15', 60_000, 'kulturskolan'),
    ];
    // The first time it may be a mistake; the same pair again later is a habit (two children's fees).
    expect(detectAnomalies({ expenses: fees }).map((a) => a.date)).toEqual(['2025-01-15']);
  });

  it('flags a first large payment to a new merchant after 90 days of history', () => {
    const history = [
      ...monthly('ica', 70_000, 6, '10', 'food'),
      tx('2025-06-20', 1_200_000, 'elgiganten', 'home'),
    ];
    expect(detectAnomalies({ expenses: history })).toEqual([
      expect.objectContaining({ kind: 'new_merchant', severity: 'high' }),
    ]);
    const early = [
      ...monthly('ica', 70_000, 2, '10', 'food'),
      tx('2025-02-20', 1_200_000, 'elgiganten', 'home'),
    ];
    expect(detectAnomalies({ expenses: early })).toEqual([]);
  });

  it('flags a category month far above its usual month, but not the annual bill of last year again', () => {
    const food = Array.from({ length: 14 }, (_, i) => {
      const p = `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
      return [tx(`${p}-03`, 100_000, 'r1', 'restaurants'), tx(`${p}-17`, 110_000, 'r2', 'restaurants')];
    }).flat();
    const spike = [
      ...food,
      ...[5, 7, 9, 11, 13, 19, 21].map((d) =>
        tx(`2026-02-${String(d).padStart(2, '0')}`, 90_000 + d * 1_000, `r${d}`, 'restaurants'),
      ),
    ];
    const found = detectAnomalies({
      expenses: spike,
      categoryNames: new Map([['restaurants', 'Restaurang']]),
    });
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'category_spike',
        key: 'category_spike:restaurants:2026-02',
        severity: 'high',
      }),
    ]);
    expect(found[0].reason.sv).toContain('Restaurang 2026-02');
    // Insurance once a year in March, the second year: last March says it is normal.
    const insurance = [
      ...food,
      tx('2025-03-20', 450_000, 'ins', 'insurance'),
      tx('2026-03-20', 460_000, 'ins', 'insurance'),
    ];
    expect(kinds(detectAnomalies({ expenses: insurance }))).toEqual([]);
  });

  it('flags a bill paid twice, not monthly bills of the same amount', () => {
    const rent = monthly('landlord', 900_000, 6, '28', 'housing');
    const bills = rent.map((r, i) => ({
      id: `b${i}`,
      supplierId: 'landlord',
      amount: 900_000,
      dueDate: r.date,
      paidAt: r.date,
    }));
    expect(detectAnomalies({ expenses: rent, paidBills: bills })).toEqual([]);
    const again = tx('2025-06-02', 900_000, 'landlord', 'housing');
    const found = detectAnomalies({ expenses: [...rent, again], paidBills: bills });
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'bill_paid_twice',
        billId: 'b4',
        transactionIds: [rent[4].id, again.id],
      }),
    ]);
  });

  it('flags a charge after a contract ended (past the grace days, on a leap day too), not one for a running contract', () => {
    const charges = [
      tx('2024-01-29', 29_900, 'telia'),
      tx('2024-02-29', 29_900, 'telia'),
      tx('2024-03-29', 29_900, 'telia'),
    ];
    const ended = {
      id: 'c1',
      name: 'Telia bredband',
      providerId: 'telia',
      startDate: '2023-01-29',
      endDate: '2024-02-15',
      prices: [{ from: '2023-01-29', amount: 29_900 }],
    };
    const found = detectAnomalies({ expenses: charges, contracts: [ended] });
    expect(found.map((a) => [a.kind, a.date])).toEqual([
      ['charge_after_contract_end', '2024-02-29'],
      ['charge_after_contract_end', '2024-03-29'],
    ]);
    const mobile = { ...ended, id: 'c2', name: 'Telia mobil', startDate: '2024-02-01', endDate: null };
    expect(detectAnomalies({ expenses: charges, contracts: [ended, mobile] })).toEqual([]);
  });

  it('is stable: the same history gives the same keys, and `since` leaves older ones out', () => {
    const history = [...monthly('gym', 39_900, 12), tx('2026-01-05', 399_000, 'gym', 'subs')];
    expect(detectAnomalies({ expenses: history }).map((a) => a.key)).toEqual(
      detectAnomalies({ expenses: [...history].reverse() }).map((a) => a.key),
    );
    expect(detectAnomalies({ expenses: history, since: '2026-01-06' })).toEqual([]);
  });
});
