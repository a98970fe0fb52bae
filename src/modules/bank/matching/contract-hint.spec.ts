import {
  contractHint,
  hintDays,
  resemblingProviders,
  type HintContract,
  type HintLine,
  type HintProvider,
} from './contract-hint';

const bahnhof: HintProvider = { id: 'S1', name: 'Bahnhof AB', aliases: ['bahnhof'] };
const telia: HintProvider = { id: 'S2', name: 'Telia Sverige AB', aliases: ['telia'] };
const vattenfall: HintProvider = { id: 'S3', name: 'Vattenfall AB', aliases: [] };
const providers = new Map([bahnhof, telia, vattenfall].map((p) => [p.id, p]));

const line = (over: Partial<HintLine> = {}): HintLine => ({
  date: '2026-03-17',
  amount: -39900,
  currency: 'SEK',
  counterpartyName: 'BAHNHOF AB',
  text: '',
  ...over,
});

const day = (date: string, scheduledAmount: number, paid: Partial<{ transactionId: string }> = {}) => ({
  date,
  scheduledAmount,
  transactionId: paid.transactionId ?? null,
  billId: null,
});

const contract = (over: Partial<HintContract> = {}): HintContract => ({
  id: 'K1',
  name: 'Bredband 250/250',
  providerId: 'S1',
  currency: 'SEK',
  variableAmount: false,
  payments: [day('2026-02-15', 39900), day('2026-03-15', 39900), day('2026-04-15', 39900)],
  ...over,
});

describe('contractHint', () => {
  it('names the contract and the payment day of a line paying its provider the price two days late', () => {
    const hint = contractHint(line(), [contract()], providers);
    expect(hint).toMatchObject({
      contractId: 'K1',
      name: 'Bredband 250/250',
      providerId: 'S1',
      paymentDate: '2026-03-15',
      scheduledAmount: 39900,
    });
    expect(hint!.confidence).toBeGreaterThan(0.9);
    expect(hint!.confidence).toBeLessThanOrEqual(1);
    expect(hint!.why.sv).toContain('2 dagar efter betalningsdagen 2026-03-15');
    expect(hint!.why.sv).toContain('liknar leverantören Bahnhof AB');
    expect(hint!.why.en).toContain("the amount equals the contract's price");
  });

  describe('name', () => {
    it('matches the provider by an alias or its name in the text', () => {
      expect(
        contractHint(line({ counterpartyName: null, text: 'BG 5555-1234 BAHNHOF' }), [contract()], providers),
      ).not.toBeNull();
    });

    it('no hint when the counterparty is another supplier', () => {
      expect(
        contractHint(line({ counterpartyName: 'TELIA SVERIGE AB' }), [contract()], providers),
      ).toBeNull();
      expect(
        contractHint(line({ counterpartyName: 'ICA NARA BAGARMOSSEN' }), [contract()], providers),
      ).toBeNull();
    });

    it('resemblingProviders keeps providers at 0.8 similarity and up, none for money in', () => {
      const all = [bahnhof, telia, vattenfall];
      expect([...resemblingProviders(line(), all).keys()]).toEqual(['S1']);
      expect([...resemblingProviders(line({ counterpartyName: 'TELIA' }), all).keys()]).toEqual(['S2']);
      expect(resemblingProviders(line({ amount: 39900 }), all).size).toBe(0);
    });
  });

  describe('amount', () => {
    it('a fixed price must be exact', () => {
      expect(contractHint(line({ amount: -39800 }), [contract()], providers)).toBeNull();
      expect(contractHint(line({ amount: -39901 }), [contract()], providers)).toBeNull();
    });

    it('a variable amount fits within ±50 % of the estimate, not beyond', () => {
      const power = contract({
        providerId: 'S3',
        name: 'El',
        variableAmount: true,
        payments: [day('2026-03-15', 100000)],
      });
      const at = (amount: number) =>
        contractHint(line({ amount: -amount, counterpartyName: 'VATTENFALL AB' }), [power], providers);
      expect(at(100000)?.why.en).toContain("equals the contract's price");
      expect(at(150000)?.why.en).toContain('within ±50 % of the estimated');
      expect(at(50000)).not.toBeNull();
      expect(at(150001)).toBeNull();
      expect(at(49999)).toBeNull();
      expect(at(120000)!.confidence).toBeLessThan(at(100000)!.confidence);
    });

    it('money in and another currency get no hint', () => {
      expect(contractHint(line({ amount: 39900 }), [contract()], providers)).toBeNull();
      expect(contractHint(line({ currency: 'EUR' }), [contract()], providers)).toBeNull();
    });
  });

  describe('date window: from 3 days before to 5 days after the payment day', () => {
    const at = (date: string) =>
      contractHint(line({ date }), [contract({ payments: [day('2026-03-15', 39900)] })], providers);
    it.each(['2026-03-12', '2026-03-15', '2026-03-20'])('%s fits', (date) => expect(at(date)).not.toBeNull());
    it.each(['2026-03-11', '2026-03-21'])('%s does not', (date) => expect(at(date)).toBeNull());

    it('says "before" for an early charge and "on the payment day"', () => {
      expect(at('2026-03-13')!.why.en).toContain('2 days before the payment day 2026-03-15');
      expect(at('2026-03-15')!.why.sv).toContain('på betalningsdagen 2026-03-15');
    });

    it('hintDays is the range of payment days a line of that date may pay', () => {
      expect(hintDays('2026-03-17')).toEqual({ from: '2026-03-12', to: '2026-03-20' });
    });
  });

  it('a day already paid by a transaction is not open', () => {
    const paid = contract({ payments: [day('2026-03-15', 39900, { transactionId: 'T1' })] });
    expect(contractHint(line(), [paid], providers)).toBeNull();
  });

  describe('several contracts of one provider', () => {
    it('the closest payment day wins', () => {
      const broadband = contract({ id: 'K1', payments: [day('2026-03-13', 39900)] });
      const tv = contract({ id: 'K2', name: 'TV-paket', payments: [day('2026-03-16', 39900)] });
      expect(contractHint(line(), [broadband, tv], providers)?.contractId).toBe('K2');
    });

    it('an exact price wins over a variable amount in the band', () => {
      const fixed = contract({ id: 'K1', payments: [day('2026-03-13', 39900)] });
      const variable = contract({ id: 'K2', variableAmount: true, payments: [day('2026-03-17', 40000)] });
      expect(contractHint(line(), [fixed, variable], providers)?.contractId).toBe('K1');
    });

    it('none when two contracts fit equally well', () => {
      const a = contract({ id: 'K1' });
      const b = contract({ id: 'K2', name: 'Bredband fritidshus' });
      expect(contractHint(line(), [a, b], providers)).toBeNull();
    });

    it('of one weekly contract, the closest of two days in the window', () => {
      const weekly = contract({ payments: [day('2026-03-12', 39900), day('2026-03-19', 39900)] });
      expect(contractHint(line({ date: '2026-03-17' }), [weekly], providers)?.paymentDate).toBe('2026-03-19');
      expect(contractHint(line({ date: '2026-03-15' }), [weekly], providers)?.paymentDate).toBe('2026-03-12');
    });
  });
});
