import type { ImportableDefinition } from '../portability.contract';
import type { PortableType } from '../portable-types';
import { planImport } from './import-plan';

const def = (
  d: Partial<ImportableDefinition<Record<string, unknown>>>,
): ImportableDefinition<Record<string, unknown>> => ({
  file: 'x',
  list: () => Promise.resolve([]),
  insert: () => Promise.resolve(),
  check: () => [],
  ...d,
});

const types: PortableType[] = [
  {
    type: 'category',
    definition: def({
      file: 'categories',
      references: { parentId: 'category' },
      uniqueKey: (c) => `${typeof c.parentId === 'string' ? c.parentId : ''}|${String(c.name)}`,
    }),
  },
  {
    type: 'transaction',
    definition: def({
      file: 'transactions',
      references: { categoryId: 'category' },
      userFields: ['createdBy'],
      droppedFields: ['bankLineId'],
    }),
  },
  {
    type: 'upload',
    definition: def({ file: 'uploads', references: { recordId: { typeField: 'recordType' } } }),
  },
];

const rows = () =>
  new Map<string, Record<string, unknown>[]>([
    [
      'category',
      [
        { _id: 'S2', name: 'Hyra', parentId: 'S1' }, // child before parent: the plan orders them
        { _id: 'S1', name: 'Boende', parentId: null },
      ],
    ],
    ['transaction', [{ _id: 'S3', categoryId: 'S2', createdBy: 'U-old', bankLineId: 'L1', amount: 100 }]],
    ['upload', [{ _id: 'S4', recordId: 'S3', recordType: 'transaction' }]],
  ]);

const base = {
  types,
  mapped: new Map<string, { targetId: string; importId: string }>(),
  importId: 'I1',
  existingKeys: new Map<string, Map<string, string>>(),
  newId: (i: number) => `N${i}`,
  userId: 'U-new',
};

describe('planImport', () => {
  it('gives every row a new id and rewrites every reference with the same map', () => {
    const { decisions, perType } = planImport({ ...base, rows: rows() });
    const byId = new Map(decisions.map((d) => [d.sourceId, d]));
    const parent = byId.get('S1')!.targetId;
    const child = byId.get('S2')!;
    expect(child.record).toMatchObject({ parentId: parent });
    const tx = byId.get('S3')!;
    expect(tx.record).toMatchObject({
      _id: tx.targetId,
      categoryId: child.targetId,
      createdBy: 'U-new',
      bankLineId: null,
      amount: 100,
    });
    expect(byId.get('S4')!.record).toMatchObject({ recordId: tx.targetId, recordType: 'transaction' });
    expect(new Set(decisions.map((d) => d.targetId)).size).toBe(4);
    expect(perType.category).toEqual({ inArchive: 2, create: 2, reuse: 0, alreadyImported: 0 });
  });

  it('maps a row to an existing record with the same unique value, children follow their reused parent', () => {
    const existingKeys = new Map([
      [
        'category',
        new Map([
          ['|Boende', 'E1'],
          ['E1|Hyra', 'E2'],
        ]),
      ],
    ]);
    const { decisions, conflicts, perType } = planImport({ ...base, rows: rows(), existingKeys });
    const byId = new Map(decisions.map((d) => [d.sourceId, d]));
    expect(byId.get('S1')).toMatchObject({ targetId: 'E1', outcome: 'reuse' });
    expect(byId.get('S2')).toMatchObject({ targetId: 'E2', outcome: 'reuse' });
    expect(byId.get('S3')!.record).toMatchObject({ categoryId: 'E2' });
    expect(conflicts.map((c) => c.sourceId).sort()).toEqual(['S1', 'S2']);
    expect(perType.category).toEqual({ inArchive: 2, create: 0, reuse: 2, alreadyImported: 0 });
  });

  it('skips rows an earlier import mapped; the same import applied again writes them again', () => {
    const mapped = new Map([
      ['S1', { targetId: 'T1', importId: 'I0' }],
      ['S3', { targetId: 'T3', importId: 'I1' }],
    ]);
    const { decisions } = planImport({ ...base, rows: rows(), mapped });
    const byId = new Map(decisions.map((d) => [d.sourceId, d]));
    expect(byId.get('S1')).toMatchObject({ outcome: 'skip', targetId: 'T1', record: null });
    expect(byId.get('S2')!.record).toMatchObject({ parentId: 'T1' });
    expect(byId.get('S3')).toMatchObject({ outcome: 'create', targetId: 'T3' });
  });

  it('refuses references to records not in the archive, of the wrong type, and bad ids', () => {
    const dangling = rows();
    dangling.get('transaction')![0].categoryId = 'S9';
    expect(() => planImport({ ...base, rows: dangling })).toThrow(
      expect.objectContaining({ code: 'REFERENCE_MISSING' }),
    );
    const wrongType = rows();
    wrongType.get('upload')![0].recordType = 'category';
    expect(() => planImport({ ...base, rows: wrongType })).toThrow(
      expect.objectContaining({ code: 'REFERENCE_MISSING' }),
    );
    const badId = rows();
    badId.get('transaction')![0]._id = '../x';
    expect(() => planImport({ ...base, rows: badId })).toThrow(
      expect.objectContaining({ code: 'RECORD_INVALID' }),
    );
    const objectRef = rows();
    objectRef.get('transaction')![0].categoryId = { $ne: null };
    expect(() => planImport({ ...base, rows: objectRef })).toThrow(
      expect.objectContaining({ code: 'RECORD_INVALID' }),
    );
  });

  it("refuses a record its module's check finds wrong", () => {
    const strict: PortableType[] = types.map((t) =>
      t.type === 'transaction'
        ? {
            ...t,
            definition: {
              ...t.definition,
              check: (r) => (typeof r.amount === 'number' ? [] : ['amount: Number']),
            },
          }
        : t,
    );
    const bad = rows();
    bad.get('transaction')![0].amount = 'lots';
    expect(() => planImport({ ...base, types: strict, rows: bad })).toThrow(
      expect.objectContaining({ code: 'RECORD_INVALID' }),
    );
  });

  it('counts export-only types as not imported, with the reason, and decides nothing for them', () => {
    const reason = { sv: 'Importeras inte', en: 'Not imported' };
    const withBank: PortableType[] = [
      ...types,
      {
        type: 'voucher',
        definition: {
          file: 'vouchers',
          importable: false,
          reason,
          list: () => Promise.resolve([]),
        },
      },
    ];
    const archive = rows();
    // not checked: ids and fields of export-only rows never reach an insert
    archive.set('voucher', [{ _id: 'S1', series: 'B', number: 1 }, { _id: 'V2' }]);
    const { decisions, perType } = planImport({ ...base, types: withBank, rows: archive });
    expect(perType.voucher).toEqual({
      inArchive: 2,
      create: 0,
      reuse: 0,
      alreadyImported: 0,
      notImported: 2,
      reason,
    });
    expect(decisions.some((d) => d.type === 'voucher')).toBe(false);
    expect(decisions).toHaveLength(4);
  });
});
