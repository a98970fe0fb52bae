import {
  coreName,
  gramSimilarity,
  gramSimilarityReaches,
  nameFeatures,
  nameSimilarity,
  normalizeName,
} from './names';

describe('normalizeName', () => {
  it('folds Swedish letters, drops legal forms, payment words and digit-only tokens', () => {
    expect(normalizeName('Göteborg Energi AB')).toBe('goteborg energi');
    expect(normalizeName('KORTKÖP 260301 ICA MAXI HÖGSBO')).toBe('ica maxi hogsbo');
    expect(normalizeName('BG 5050-1055 Vattenfall AB (publ)')).toBe('vattenfall');
    expect(normalizeName('Swish till Anna Åström')).toBe('anna astrom');
    expect(normalizeName('Brf Solrosen ek. för.')).toBe('brf solrosen');
    expect(normalizeName('SPOTIFY P0A1B2C3')).toBe('spotify p0a1b2c3');
    expect(normalizeName('  ')).toBe('');
    // e-faktura is a payment word; E.ON is a name
    expect(normalizeName('E-FAKTURA')).toBe('');
    expect(normalizeName('E FAKTURA TELIA')).toBe('telia');
    expect(normalizeName('E-FAKTURA ÖRESUNDSKRAFT')).toBe('oresundskraft');
    expect(normalizeName('E.ON Energidistribution')).toBe('e on energidistribution');
  });
});

describe('nameSimilarity', () => {
  it('is 1 for the same name however the bank prints it', () => {
    expect(nameSimilarity('GOTEBORG ENERGI', 'Göteborg Energi AB')).toBe(1);
    expect(nameSimilarity('VATTENFALL AB', 'Vattenfall')).toBe(1);
  });

  it('scores a bank name that extends or cuts the supplier name high', () => {
    expect(nameSimilarity('VATTENFALL KUNDSERVICE', 'Vattenfall AB')).toBeGreaterThanOrEqual(0.85);
    expect(nameSimilarity('FOLKSAM OMSES', 'Folksam ömsesidig sakförsäkring')).toBeGreaterThanOrEqual(0.6);
  });

  it('generic words carry no weight while a distinctive word remains', () => {
    expect(nameSimilarity('TELIA SVERIGE', 'Telia Company')).toBe(1);
    expect(nameSimilarity('STHLM EXERGI', 'Stockholm Exergi AB')).toBe(1);
    // the card purchase "SL ACCESS" and Tre's company name share only the generic "access"
    expect(nameSimilarity('SL ACCESS', 'Hi3G Access AB')).toBe(0);
    expect(nameSimilarity('NORDEA BANK', 'Handelsbanken Bank')).toBeLessThan(0.3);
    // a name of generic words only is kept whole
    expect(nameSimilarity('GOTEBORG ENERGI', 'Göteborg Energi AB')).toBe(1);
    expect(nameSimilarity('GOTEBORG ENERGI', 'Stockholm Energi')).toBeLessThan(0.5);
    expect(coreName('sl access')).toEqual({ core: 'sl', distinctive: true });
    expect(coreName('goteborg energi')).toEqual({ core: 'goteborg energi', distinctive: false });
  });

  it('keeps different names low', () => {
    expect(nameSimilarity('Telia', 'Tele2')).toBeLessThan(0.5);
    expect(nameSimilarity('ICA MAXI', 'ICA Kvantum')).toBeLessThan(0.5);
    expect(nameSimilarity('Vattenfall', 'Fortum')).toBeLessThan(0.2);
    expect(nameSimilarity('Lön mars', 'Vattenfall')).toBeLessThan(0.2);
  });

  it('is symmetric and 0 when a side has no name', () => {
    expect(nameSimilarity('Telia Sverige', 'Telia')).toBeCloseTo(
      nameSimilarity('Telia', 'Telia Sverige'),
      10,
    );
    expect(nameSimilarity('', 'Telia')).toBe(0);
    expect(nameSimilarity('AB 123', 'Telia')).toBe(0);
  });
});

describe('gramSimilarityReaches', () => {
  it('decides gramSimilarity >= bar exactly', () => {
    const names = [
      'Vattenfall AB',
      'VATTENFALL KUNDSERVICE',
      'Göteborg Energi',
      'GOTEBORG ENERGI NAT',
      'Telia Company',
      'TELIA SVERIGE',
      'ICA MAXI',
      'ICA Kvantum',
      'ab',
      'x',
      'Lön mars',
      '',
    ].map(nameFeatures);
    for (const a of names)
      for (const b of names)
        for (const bar of [0, 0.3, 0.5, 0.9, 1])
          expect(gramSimilarityReaches(a, b, bar)).toBe(gramSimilarity(a, b) >= bar);
  });
});
