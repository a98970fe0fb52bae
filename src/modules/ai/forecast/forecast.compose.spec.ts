import {
  composeForecast,
  knownExpenseIds,
  type HistoryExpense,
  type KnownContract,
} from './forecast.compose';

const expense = (
  id: string,
  date: string,
  amount: number,
  categoryId: string | null,
  supplierId: string | null,
) => ({ id, date, amount, categoryId, supplierId }) satisfies HistoryExpense;

/** Monthly payments of `amount` on `day` from `from` (YYYY-MM) for `count` months. */
const monthly = (from: string, day: string, amount: number, count: number) =>
  Array.from({ length: count }, (_, i) => {
    const [y, m] = from.split('-').map(Number) as [number, number];
    const idx = y * 12 + m - 1 + i;
    return { date: `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}-${day}`, amount };
  });

describe('composeForecast', () => {
  it('gives a new organization zeros and says there is no history', () => {
    const f = composeForecast({ today: '2026-12-02', months: 3, history: [], contracts: [], bills: [] });
    expect(f).toMatchObject({ from: '2026-12', to: '2027-02', historyFrom: null, historyMonths: 0 });
    expect(f.total.months.map((m) => m.total)).toEqual([0, 0, 0]);
    expect(f.total.explanation.sv).toMatch(/ingen historik/i);
    expect(f.categories).toEqual([]);
  });

  it('does not count a contract twice: its provider history leaves the rest, its schedule is known', () => {
    const contract: KnownContract = {
      id: 'c1',
      name: 'Netflix',
      providerId: 'netflix',
      categoryId: 'subs',
      endDate: null,
      payments: monthly('2025-01', '05', 13_900, 26),
    };
    const history = contract.payments
      .filter((p) => p.date < '2026-12-01')
      .map((p, i) => expense(`n${i}`, p.date, p.amount, 'subs', 'netflix'));
    const f = composeForecast({ today: '2026-12-02', months: 2, history, contracts: [contract], bills: [] });
    const subs = f.categories.find((c) => c.categoryId === 'subs')!;
    expect(subs.months.map((m) => [m.contracts, m.history])).toEqual([
      [13_900, 0],
      [13_900, 0],
    ]);
    expect(f.total.explanation.sv).toMatch(/^2 mån: .*Kända avtal: .*\(Netflix\)/);
  });

  it('recognizes a provider-less contract by category, day and amount', () => {
    const contract: KnownContract = {
      id: 'c2',
      name: 'Hyra',
      providerId: null,
      categoryId: 'housing',
      endDate: null,
      payments: monthly('2026-01', '28', 900_000, 12),
    };
    const history = [
      expense('rent', '2026-02-27', 900_000, 'housing', null),
      expense('repair', '2026-02-10', 150_000, 'housing', null),
    ];
    expect([...knownExpenseIds(history, [contract])]).toEqual(['rent']);
  });

  it('stops a contract ending mid-horizon and counts an open bill instead of part of the rest', () => {
    const contract: KnownContract = {
      id: 'c3',
      name: 'Gym',
      providerId: 'gym',
      categoryId: 'leisure',
      endDate: '2027-01-31',
      // The scheduled days end with the contract (as the contracts module answers them).
      payments: monthly('2026-06', '31', 39_900, 8).filter((p) => p.date <= '2027-01-31'),
    };
    const history = Array.from({ length: 11 }, (_, i) =>
      expense(`i${i}`, `2026-${String(i + 1).padStart(2, '0')}-15`, 200_000, 'insurance', 'ins'),
    );
    const f = composeForecast({
      today: '2026-12-02',
      months: 3,
      history,
      contracts: [contract],
      bills: [
        {
          id: 'b1',
          supplierName: 'Försäkring',
          categoryId: 'insurance',
          dueDate: '2027-01-20',
          amount: 150_000,
        },
      ],
    });
    const gym = f.categories.find((c) => c.categoryId === 'leisure')!;
    // Month ends: a contract paid on the 31st pays on 2026-12-31 and 2027-01-31, then it has ended.
    expect(gym.months.map((m) => m.contracts)).toEqual([39_900, 39_900, 0]);
    const insurance = f.categories.find((c) => c.categoryId === 'insurance')!;
    const jan = insurance.months[1];
    expect(jan.bills).toBe(150_000);
    // The model expects ~2 000 kr a month; the bill covers 1 500 of it.
    expect(jan.history).toBeGreaterThan(0);
    expect(jan.bills + jan.history).toBe(insurance.months[2].history);
  });

  it('reads a leap day and filters categories, uncategorized as "none"', () => {
    const history = [
      expense('a', '2024-02-29', 10_000, null, null),
      expense('b', '2024-03-01', 20_000, 'food', null),
    ];
    const f = composeForecast({
      today: '2024-04-15',
      months: 1,
      history,
      contracts: [],
      bills: [],
      categoryIds: ['none'],
    });
    expect(f.historyFrom).toBe('2024-02');
    expect(f.categories.map((c) => c.categoryId)).toEqual(['none']);
    expect(f.total.months[0].period).toBe('2024-04');
  });
});
