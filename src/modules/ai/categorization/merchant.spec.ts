import { normalizeMerchant } from './merchant';

describe('normalizeMerchant', () => {
  it.each([
    ['ICA NARA STHLM 4432', 'ica', 'ICA', 'groceries'],
    ['KORTKÖP 260301 ICA MAXI', 'ica', 'ICA', 'groceries'],
    ['ica kvantum göteborg 12', 'ica', 'ICA', 'groceries'],
    ['KLARNA*H&M', 'h m', 'H&M', 'clothing'],
    ['H & M Hennes & Mauritz AB', 'h m', 'H&M', 'clothing'],
    ['PAYPAL *SPOTIFY', 'spotify', 'Spotify', 'subscriptions'],
    ['BG 5050-1055 VATTENFALL AB', 'vattenfall', 'Vattenfall', 'utilities'],
    ['Hi3G Access AB', 'tre', 'Tre', 'telecom'],
    ['SL ACCESS', 'sl', 'SL', 'public_transport'],
    ['Circle K Kungsholmen 12', 'circle k', 'Circle K', 'fuel'],
    ['BETALNING 123456 Telia Sverige AB', 'telia', 'Telia', 'telecom'],
    ['GOOGLE *YouTube', 'youtube premium', 'YouTube Premium', 'subscriptions'],
    ["McDonald's 123 Solna", 'mcdonald s', "McDonald's", 'restaurants'],
    ['APOTEK HJÄRTAT', 'apotek hjartat', 'Apotek Hjärtat', 'health'],
    ['apotek hjartat', 'apotek hjartat', 'Apotek Hjärtat', 'health'],
  ])('%s → %s', (raw, key, name, category) => {
    const m = normalizeMerchant(raw);
    expect(m).toMatchObject({ key, name, known: true, canonicalCategory: category });
  });

  it('Swish to a person: the person, on the Swish channel', () => {
    expect(normalizeMerchant('SWISH ANNA')).toMatchObject({
      key: 'swish anna',
      name: 'Swish: Anna',
      channel: 'swish',
      known: false,
    });
    expect(normalizeMerchant('Swish från Anna Svensson').key).toBe('swish anna svensson');
    expect(normalizeMerchant('SWISH ANNA SVENSSON').key).toBe(
      normalizeMerchant('swish till Anna Svensson').key,
    );
  });

  it('payment services before the merchant are the channel, the merchant is after them', () => {
    expect(normalizeMerchant('SumUp *Cafe Foam MALMO')).toMatchObject({
      key: 'cafe foam',
      name: 'Cafe Foam',
      via: 'sumup',
      channel: 'intermediary',
    });
    expect(normalizeMerchant('IZ *KAFFEBAR GBG')).toMatchObject({ key: 'kaffebar', via: 'iz' });
    expect(normalizeMerchant('ZETTLE_*PIZZERIA ROMA').key).toBe('pizzeria roma');
  });

  it('unknown merchants: store numbers, dates and cities dropped, at most three words', () => {
    expect(normalizeMerchant('KORTKÖP 261128 NILSSONS HANDEL UPPSALA 0042')).toMatchObject({
      key: 'nilssons handel',
      name: 'Nilssons Handel',
      channel: 'card',
      known: false,
      canonicalCategory: null,
    });
    expect(normalizeMerchant('Restaurang Pelikan AB').key).toBe('restaurang pelikan');
    expect(normalizeMerchant('Nilssons Handel').key).toBe(normalizeMerchant('NILSSONS HANDEL STHLM 12').key);
  });

  it('spellings of one merchant meet in one key', () => {
    const keys = ['ICA NARA STHLM 4432', 'ICA Nära Kungsholmen', 'KORTKÖP 260101 ICA NÄRA 12', 'ica'].map(
      (s) => normalizeMerchant(s).key,
    );
    expect(new Set(keys)).toEqual(new Set(['ica']));
  });

  it('a city alone or digits alone are not dropped into nothing', () => {
    expect(normalizeMerchant('STOCKHOLM').key).toBe('stockholm');
    expect(normalizeMerchant('12345').key).toBe('');
    expect(normalizeMerchant('').key).toBe('');
  });

  it('a short alias is matched only at the start (no "br" inside other names)', () => {
    expect(normalizeMerchant('BRF SOLSIDAN').canonicalCategory).toBe('housing');
    expect(normalizeMerchant('Hyra november').known).toBe(false);
  });
});
