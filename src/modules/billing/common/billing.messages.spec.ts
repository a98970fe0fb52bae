import {
  LOCALES,
  message,
  MESSAGE_IDS,
  messages,
  type MessageId,
  type MessageVars,
} from './billing.messages';

const invoice = { invoiceId: '1042', amount: 123456, currency: 'SEK', dueDate: '2026-04-08' };

/** Variables for every message: a new id does not compile until it has a sample here. */
const SAMPLES: { [I in MessageId]: MessageVars<I> } = {
  days: { n: 3 },
  free_plan: { readOnly: true },
  invoice_due: invoice,
  banner_account_suspended: { invoice },
  banner_payment_overdue: { days: 5, lastDay: '2026-04-22', readOnly: true, invoice },
  banner_period_ending: { days: 2, lastDay: '2026-04-08', invoice },
  banner_trial: { days: 1, lastDay: '2026-05-01', readOnly: false },
  banner_read_only_free: {},
};

describe('billing messages', () => {
  it.each(MESSAGE_IDS)('%s has a Swedish and an English text', (id) => {
    const texts = LOCALES.map((locale) => message(id, locale, SAMPLES[id] as never));
    expect(LOCALES).toEqual(['sv', 'en']);
    for (const text of texts) {
      expect(text.trim().length).toBeGreaterThan(0);
      expect(text).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(texts[0]).not.toBe(texts[1]);
  });

  it('every id has a sample, and no sample is left over', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...MESSAGE_IDS].sort());
  });

  it('pluralizes days', () => {
    expect(message('days', 'sv', { n: 1 })).toBe('1 dag');
    expect(message('days', 'sv', { n: 3 })).toBe('3 dagar');
    expect(message('days', 'en', { n: 1 })).toBe('1 day');
    expect(message('days', 'en', { n: 0 })).toBe('0 days');
  });

  it('names the invoice with its amount through formatMoney', () => {
    expect(message('invoice_due', 'sv', invoice)).toBe(
      'Faktura 1042 på 1\u00a0234,56\u00a0kr förfaller 2026-04-08.',
    );
    expect(message('invoice_due', 'en', invoice)).toBe(
      'Invoice 1042 of SEK\u00a01,234.56 is due 2026-04-08.',
    );
  });

  it('ends a banner with the open invoice, and with nothing without one', () => {
    const withInvoice = messages('banner_period_ending', { days: 2, lastDay: '2026-04-08', invoice });
    const without = messages('banner_period_ending', { days: 2, lastDay: '2026-04-08', invoice: null });
    expect(withInvoice.sv).toBe(`${without.sv} Faktura 1042 på 1\u00a0234,56\u00a0kr förfaller 2026-04-08.`);
    expect(withInvoice.en).toBe(`${without.en} Invoice 1042 of SEK\u00a01,234.56 is due 2026-04-08.`);
    expect(without.sv).toBe('Er Pro-period gäller t.o.m. 2026-04-08 (2 dagar kvar).');
  });

  it('names a read-only free plan as such', () => {
    expect(message('free_plan', 'sv', { readOnly: true })).toBe('gratisplanen, som är skrivskyddad');
    expect(message('free_plan', 'en', { readOnly: false })).toBe('the free plan');
  });
});
