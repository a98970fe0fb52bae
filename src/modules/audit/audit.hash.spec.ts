import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditEntry,
  verifyChain,
  type HashableAuditEntry,
} from './audit.hash';

type Entry = HashableAuditEntry & { hash: string };

function buildChain(n: number, chain = 'A000100'): Entry[] {
  const entries: Entry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: HashableAuditEntry = {
      _id: `A${String(1000 + seq).padStart(6, '0')}`,
      chain,
      seq,
      organizationId: chain,
      actorId: 'A000001',
      action: 'user.updated',
      targetType: 'user',
      targetId: 'A000001',
      changes: { before: { name: `name ${seq - 1}` }, after: { name: `name ${seq}` } },
      metadata: { source: 'spec', at: new Date(Date.UTC(2026, 0, seq)) },
      requestId: `req-${seq}`,
      ip: '127.0.0.1',
      userAgent: 'jest',
      at: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)),
      prevHash,
    };
    const hash = hashAuditEntry(content);
    entries.push({ ...content, hash });
    prevHash = hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it('sorts keys recursively, writes Dates as ISO and drops undefined', () => {
    const a = canonicalJson({
      b: 1,
      a: { d: [1, undefined, 'x'], c: new Date('2026-01-02T03:04:05.006Z') },
      u: undefined,
    });
    const b = canonicalJson({ a: { c: new Date('2026-01-02T03:04:05.006Z'), d: [1, undefined, 'x'] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"2026-01-02T03:04:05.006Z","d":[1,null,"x"]},"b":1}');
  });

  it('tells different content apart', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('uses toJSON of non-plain objects and writes bigints as strings', () => {
    const idLike = { toJSON: () => 'abc' };
    Object.setPrototypeOf(idLike, { kind: 'ObjectId' });
    expect(canonicalJson({ id: idLike, n: 10n })).toBe('{"id":"abc","n":"10"}');
  });
});

describe('hashAuditEntry', () => {
  it('is a sha256 hex digest', () => {
    expect(buildChain(1)[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats a missing optional field like null (as read back from the database) and ignores key order', () => {
    const [entry] = buildChain(1);
    const { targetType: _t, hash, ...withoutTargetType } = entry;
    expect(hashAuditEntry({ ...withoutTargetType, targetType: null })).toBe(
      hashAuditEntry(withoutTargetType),
    );
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as Entry;
    expect(hashAuditEntry(reordered)).toBe(hash);
  });

  it('covers _id, chain, seq and prevHash, not only the content', () => {
    const [entry] = buildChain(1);
    expect(hashAuditEntry({ ...entry, _id: 'A999999' })).not.toBe(entry.hash);
    expect(hashAuditEntry({ ...entry, chain: 'platform' })).not.toBe(entry.hash);
    expect(hashAuditEntry({ ...entry, seq: 2 })).not.toBe(entry.hash);
    expect(hashAuditEntry({ ...entry, prevHash: 'f'.repeat(64) })).not.toBe(entry.hash);
  });
});

describe('verifyChain', () => {
  it('accepts a valid chain, and an empty one', () => {
    expect(verifyChain(buildChain(5))).toEqual({ valid: true, count: 5 });
    expect(verifyChain([])).toEqual({ valid: true, count: 0 });
  });

  it('detects an edited field', () => {
    const entries = buildChain(5);
    entries[2] = { ...entries[2], changes: { before: { name: 'name 1' }, after: { name: 'forged' } } };
    expect(verifyChain(entries)).toEqual({
      valid: false,
      count: 5,
      brokenAt: { id: entries[2]._id, seq: 3, reason: 'hash_mismatch' },
    });
  });

  it('detects an edited entry whose hash was recomputed, at the next entry', () => {
    const entries = buildChain(5);
    const forged = { ...entries[1], actorId: 'A000666' };
    entries[1] = { ...forged, hash: hashAuditEntry(forged) };
    expect(verifyChain(entries)).toEqual({
      valid: false,
      count: 5,
      brokenAt: { id: entries[2]._id, seq: 3, reason: 'prev_hash_mismatch' },
    });
  });

  it('detects a deleted entry (gap), also the first one', () => {
    const entries = buildChain(5);
    const withoutThird = [...entries.slice(0, 2), ...entries.slice(3)];
    expect(verifyChain(withoutThird)).toEqual({
      valid: false,
      count: 4,
      brokenAt: { id: entries[3]._id, seq: 4, reason: 'sequence_gap' },
    });
    expect(verifyChain(entries.slice(1))).toMatchObject({
      valid: false,
      brokenAt: { seq: 2, reason: 'sequence_gap' },
    });
  });

  it('detects reordered entries', () => {
    const entries = buildChain(4);
    const swapped = [entries[0], entries[2], entries[1], entries[3]];
    expect(verifyChain(swapped)).toEqual({
      valid: false,
      count: 4,
      brokenAt: { id: entries[2]._id, seq: 3, reason: 'sequence_gap' },
    });
    // the seq numbers swapped in the database so that the order looks right: the hashes no longer match
    const renumbered = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }, entries[3]];
    expect(verifyChain(renumbered)).toEqual({
      valid: false,
      count: 4,
      brokenAt: { id: entries[2]._id, seq: 2, reason: 'hash_mismatch' },
    });
  });

  it('detects a wrong genesis prevHash', () => {
    const [first] = buildChain(1);
    const forged = { ...first, prevHash: 'a'.repeat(64) };
    expect(verifyChain([{ ...forged, hash: hashAuditEntry(forged) }])).toMatchObject({
      valid: false,
      brokenAt: { seq: 1, reason: 'prev_hash_mismatch' },
    });
  });
});
