import { createHash } from 'node:crypto';

/** `prevHash` of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain of entries that belong to no organization (e.g. a failed login for an unknown email). */
export const PLATFORM_CHAIN = 'platform';

/**
 * The fields covered by an entry's hash: everything it says, plus its place in the chain (`_id`, `chain`, `seq`,
 * `prevHash`). Not covered: `hash` itself and `createdAt` (a copy of `at` for the shared cursor pagination).
 * A missing optional field and `null` hash the same, so a record read back from the database (where `undefined`
 * is simply absent) gives the hash it was written with.
 */
export interface HashableAuditEntry {
  _id: string;
  chain: string;
  seq: number;
  organizationId?: string | null;
  actorId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  changes?: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
  metadata?: Record<string, unknown> | null;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  at: Date;
  prevHash: string;
}

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';

export type ChainVerification =
  | { valid: true; count: number }
  | { valid: false; count: number; brokenAt: { id: string; seq: number; reason: ChainBreakReason } };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Deterministic JSON: object keys sorted recursively, Dates as ISO strings, `undefined` (and functions, symbols)
 * dropped from objects and `null` in arrays as JSON does, bigints as strings, non-plain objects through their
 * `toJSON` when they have one (ObjectId, Decimal128, …). Two values with the same content give the same text.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null';
}

function serialize(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
  }
  const obj = value;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'null' : JSON.stringify(obj.toISOString());
  if (Array.isArray(obj)) return `[${obj.map((item) => serialize(item) ?? 'null').join(',')}]`;
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (!isPlainObject(obj) && typeof toJSON === 'function')
    return serialize((toJSON as () => unknown).call(obj));
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const text = serialize((obj as Record<string, unknown>)[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** The exact content hashed for an entry (see `HashableAuditEntry`). */
export function auditHashContent(entry: HashableAuditEntry): Record<string, unknown> {
  return {
    _id: entry._id,
    chain: entry.chain,
    seq: entry.seq,
    organizationId: entry.organizationId ?? null,
    actorId: entry.actorId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    changes: entry.changes ?? null,
    metadata: entry.metadata ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    at: entry.at,
    prevHash: entry.prevHash,
  };
}

/** sha256 (hex) of the entry's canonical content. */
export function hashAuditEntry(entry: HashableAuditEntry): string {
  return createHash('sha256')
    .update(canonicalJson(auditHashContent(entry)), 'utf8')
    .digest('hex');
}

/**
 * Checks one chain, entries sorted by `seq` ascending: seq runs 1, 2, 3… without gaps, each entry's hash matches
 * its content, and each `prevHash` is the previous entry's hash (genesis: 64 zeros). Reports the first entry where
 * any of that fails. `count` is the number of entries given.
 *
 * What a hash chain cannot show on its own: removing entries from the *end*, or rewriting the whole tail with fresh
 * hashes. Anchoring the head hash somewhere else (a periodic export, a notarised digest) closes that gap.
 */
export function verifyChain(
  entries: ReadonlyArray<HashableAuditEntry & { hash: string }>,
): ChainVerification {
  const count = entries.length;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const entry = entries[i];
    const broken = (reason: ChainBreakReason): ChainVerification => ({
      valid: false,
      count,
      brokenAt: { id: entry._id, seq: entry.seq, reason },
    });
    if (entry.seq !== i + 1) return broken('sequence_gap');
    if (entry.hash !== hashAuditEntry(entry)) return broken('hash_mismatch');
    if (entry.prevHash !== prevHash) return broken('prev_hash_mismatch');
    prevHash = entry.hash;
  }
  return { valid: true, count };
}
