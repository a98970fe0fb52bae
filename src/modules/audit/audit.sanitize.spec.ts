import { sanitizeAuditKey, sanitizeAuditObject, sanitizeAuditString } from './audit.sanitize';

describe('sanitizeAuditObject', () => {
  it('strips secret keys at every depth', () => {
    expect(
      sanitizeAuditObject({
        name: 'A',
        password: 'x',
        passwordHash: 'y',
        refreshToken: 'z',
        nested: { clientSecret: 's', keep: 1, list: [{ tokenHash: 't', ok: true }] },
      }),
    ).toEqual({ name: 'A', nested: { keep: 1, list: [{ ok: true }] } });
  });

  it('makes keys storable: no dots, no leading $, no clashes, __proto__ stays data', () => {
    const input = JSON.parse('{"a.b": 1, "a_b": 2, "$set": 3, "$": 4, "__proto__": {"x": 5}}') as Record<
      string,
      unknown
    >;
    const out = sanitizeAuditObject(input);
    expect(out).toEqual({ a_b: 1, a_b_: 2, set: 3, _: 4, _proto_: { x: 5 } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('drops undefined, turns nested arrays into text and odd values into storable ones', () => {
    const when = new Date('2026-03-01T10:00:00Z');
    expect(
      sanitizeAuditObject({
        u: undefined,
        f: () => 1,
        d: when,
        bad: new Date('nope'),
        n: NaN,
        inf: Infinity,
        big: 12n,
        neg: -0,
        arr: [1, undefined, [2, [3]]],
        s: 'a\0b',
      }),
    ).toEqual({
      d: when,
      bad: null,
      n: 'NaN',
      inf: 'Infinity',
      big: '12',
      neg: 0,
      arr: [1, null, '[2,"[3]"]'],
      s: 'ab',
    });
  });

  it('breaks cycles and deep structures, but keeps a shared object twice', () => {
    const shared = { v: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(sanitizeAuditObject(cyclic)).toEqual({ shared: { v: 1 }, again: { v: 1 }, self: '[circular]' });
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(sanitizeAuditObject(deep))).toContain('[too deep]');
  });

  it('copies Dates and returns {} for nothing', () => {
    const when = new Date(5);
    const out = sanitizeAuditObject({ when });
    expect(out.when).toEqual(when);
    expect(out.when).not.toBe(when);
    expect(sanitizeAuditObject(undefined)).toEqual({});
    expect(sanitizeAuditObject(null)).toEqual({});
  });
});

describe('sanitizeAuditKey / sanitizeAuditString', () => {
  it('cleans keys', () => {
    expect(sanitizeAuditKey('$$a.b.c')).toBe('a_b_c');
    expect(sanitizeAuditKey('plain')).toBe('plain');
  });

  it('replaces lone surrogates and never cuts a pair in half', () => {
    expect(sanitizeAuditString('a\uD800b')).toBe('a\uFFFDb');
    expect(sanitizeAuditString('\uDC00')).toBe('\uFFFD');
    expect(sanitizeAuditString('ab😀', 3)).toBe('ab');
    expect(sanitizeAuditString('ab😀', 4)).toBe('ab😀');
    expect(sanitizeAuditString('abcdef', 3)).toBe('abc');
  });
});
