import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { VouchersService, type VoucherDraft } from '../src/modules/bank/vouchers/vouchers.service';
import { BankMatchesRepository } from '../src/modules/bank/matching/matching.repository';
import { BILLS, type BillsForMatching } from '../src/modules/bank/economy.ports';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { luhnValid } from '../src/common/validation/luhn';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Bank statements, matching in hybrid mode and verifikationer against FerretDB + Redis + the BullMQ worker:
 * camt.053 and CSV (Windows-1252, decimal comma) imports with dedup, suggestions with why texts, approve → voucher,
 * undo → correcting voucher, reject and policy counts, automatic booking only after enough approvals, concurrent
 * approvals numbered without gaps, another organization's records → 404, SIE 4 export in CP437.
 */

const api = (path: string) => `/api/v1${path}`;

/** A valid OCR number: the digits plus their Luhn check digit. */
function ocr(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

/** A bank line as the API returns it (the fields these tests read). */
interface LineBody {
  id: string;
  bankReference: string | null;
  status: string;
  matchId: string | null;
  voucherId: string | null;
  [field: string]: unknown;
}

interface Entry {
  amount: number; // signed öre
  date: string;
  ref?: string;
  ocr?: string;
  name?: string;
  text?: string;
  status?: 'BOOK' | 'PDNG';
  /** The bank transaction code, as `Domain-Family-SubFamily` (`PMNT-CCRD-POSD`). */
  code?: string;
}

function camt(entries: Entry[]): Buffer {
  const ntry = entries
    .map((e) => {
      const out = e.amount < 0;
      const party = e.name
        ? `<RltdPties><${out ? 'Cdtr' : 'Dbtr'}><Nm>${e.name}</Nm></${out ? 'Cdtr' : 'Dbtr'}></RltdPties>`
        : '';
      const rmt = e.ocr
        ? `<RmtInf><Strd><CdtrRefInf><Ref>${e.ocr}</Ref></CdtrRefInf></Strd></RmtInf>`
        : e.text
          ? `<RmtInf><Ustrd>${e.text}</Ustrd></RmtInf>`
          : '';
      const [domain, family, sub] = e.code?.split('-') ?? [];
      const code = e.code
        ? `<BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>`
        : '';
      return `<Ntry><Amt Ccy="SEK">${(Math.abs(e.amount) / 100).toFixed(2)}</Amt><CdtDbtInd>${out ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Sts>${e.status ?? 'BOOK'}</Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>
        ${e.ref ? `<AcctSvcrRef>${e.ref}</AcctSvcrRef>` : ''}${code}
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>${party}${rmt}</TxDtls></NtryDtls></Ntry>`;
    })
    .join('\n');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-06-15T10:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
${ntry}
    </Stmt></BkToCstmrStmt></Document>`);
}

/** Windows-1252 bytes of a text (the Swedish letters used here). */
function win1252(text: string): Buffer {
  const map: Record<string, number> = {
    å: 0xe5,
    ä: 0xe4,
    ö: 0xf6,
    Å: 0xc5,
    Ä: 0xc4,
    Ö: 0xd6,
    é: 0xe9,
    '–': 0x96,
  };
  return Buffer.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

describe('bank: imports, matching, vouchers', () => {
  let t: TestApp;
  let a: TestUser; // the organization most tests work in
  let b: TestUser; // another organization
  let c: TestUser; // concurrency, in its own organization so numbering starts at 1
  let accountId: string;
  let expenseCategoryId: string;

  const http = (user: TestUser) => ({
    get: (path: string) => t.http.get(api(path)).set(user.auth),
    post: (path: string, body?: object) =>
      t.http
        .post(api(path))
        .set(user.auth)
        .send(body ?? {}),
    patch: (path: string, body: object) => t.http.patch(api(path)).set(user.auth).send(body),
    delete: (path: string) => t.http.delete(api(path)).set(user.auth),
  });

  async function supplier(user: TestUser, name: string, aliases: string[] = []): Promise<string> {
    const res = await http(user).post('/suppliers', { name, aliases }).expect(201);
    return res.body.id as string;
  }

  async function bill(
    user: TestUser,
    input: { supplierId: string; amount: number; dueDate: string; ocr?: string; invoiceNumber?: string },
  ) {
    const res = await http(user).post('/bills', input).expect(201);
    return res.body.id as string;
  }

  async function upload(
    user: TestUser,
    bankAccountId: string,
    file: Buffer,
    name: string,
    fields: Record<string, string> = {},
  ) {
    let req = t.http.post(api(`/bank/accounts/${bankAccountId}/imports`)).set(user.auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach('file', file, name).expect(202);
    expect(res.body.status).toBe('queued');
    return waitForImport(user, res.body.id as string);
  }

  async function waitForImport(user: TestUser, id: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await http(user).get(`/bank/imports/${id}`).expect(200);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function lineByRef(user: TestUser, bankReference: string) {
    const res = await http(user).get('/bank/lines?limit=100').expect(200);
    const line = (res.body.items as LineBody[]).find((l) => l.bankReference === bankReference);
    if (!line) throw new Error(`no line ${bankReference}`);
    return line;
  }

  async function newAccount(user: TestUser, name = 'Privatkonto'): Promise<string> {
    const res = await http(user)
      .post('/bank/accounts', {
        name,
        bank: 'Swedbank',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
      })
      .expect(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-15T10:00:00Z'));
    [a, b, c] = await Promise.all([
      createUser(t, { name: 'Åsa Öberg' }),
      createUser(t, { name: 'Bertil' }),
      createUser(t, { name: 'Cecilia' }),
    ]);
    await Promise.all([
      activatePro(t, a.organizationId),
      activatePro(t, b.organizationId),
      activatePro(t, c.organizationId),
    ]);
    const category = await http(a)
      .post('/categories', { name: 'El och värme', kind: 'expense', basAccount: '5020' })
      .expect(201);
    expenseCategoryId = category.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('bank accounts: numbers encrypted at rest, masked in lists, full in the detail', async () => {
    accountId = await newAccount(a);
    const raw = await t.db.collection('bank_accounts').findOne({ _id: accountId as never });
    expect(raw).toBeTruthy();
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain('1234567890');
    expect(stored).not.toContain('8327');
    expect(raw!.accountNumberEnc).toMatch(/^v1:/);
    const list = await http(a).get('/bank/accounts').expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: accountId, maskedNumber: '8327-9 ••••7890' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('1234567890');
    const detail = await http(a).get(`/bank/accounts/${accountId}`).expect(200);
    expect(detail.body).toMatchObject({
      clearingNumber: '8327-9',
      accountNumber: '1234567890',
      ledgerAccount: '1930',
    });
    await http(a).post('/bank/accounts', { name: 'x', clearingNumber: '12', accountNumber: '1' }).expect(400);
  });

  let vattenfallBill: string;
  let vattenfallOcr: string;
  let camtFile: Buffer;

  it('camt.053 import: booked entries become lines, pending ones are rejected with position and reason', async () => {
    const vattenfall = await supplier(a, 'Göteborg Energi AB', ['goteborg energi']);
    vattenfallOcr = ocr('5550001234');
    vattenfallBill = await bill(a, {
      supplierId: vattenfall,
      amount: 125_000,
      dueDate: '2026-06-01',
      ocr: vattenfallOcr,
      invoiceNumber: '4711',
    });
    camtFile = camt([
      { amount: -125_000, date: '2026-06-03', ref: 'A-1', ocr: vattenfallOcr, name: 'GOTEBORG ENERGI' },
      { amount: 2_500_050, date: '2026-06-25', ref: 'A-2', name: 'Arbetsgivaren AB', text: 'Lön juni' },
      { amount: -9_900, date: '2026-06-26', ref: 'A-3', name: 'Spotify', status: 'PDNG' },
    ]);
    const result = await upload(a, accountId, camtFile, 'juni.xml');
    expect(result).toMatchObject({
      status: 'done',
      format: 'camt053',
      counts: { created: 2, duplicates: 0, rejected: 1 },
      rejected: [{ line: 3, reason: 'Entry status PDNG: only booked entries are imported' }],
      progress: { processed: 2, total: 2, percent: 100 },
    });
    const line = await lineByRef(a, 'A-1');
    expect(line).toMatchObject({
      amount: -125_000,
      bookingDate: '2026-06-03',
      reference: vattenfallOcr,
      counterpartyName: 'GOTEBORG ENERGI',
      lineNo: 1,
    });
    expect(line.status).toBe('suggested');
    const income = await lineByRef(a, 'A-2');
    expect(income).toMatchObject({ amount: 2_500_050, text: 'Lön juni', status: 'unmatched' });
  });

  it('importing the same file again creates nothing (duplicates with line numbers)', async () => {
    const again = await upload(a, accountId, camtFile, 'juni-igen.xml');
    expect(again.counts).toMatchObject({ created: 0, duplicates: 2, rejected: 1 });
    expect(again.duplicates.map((d: { line: number }) => d.line)).toEqual([1, 2]);
    expect(again.duplicates[0].reason).toMatch(/^Already imported/);
    const lines = await http(a).get('/bank/lines?limit=100').expect(200);
    expect(lines.body.items).toHaveLength(2);
  });

  it('CSV in Windows-1252 with decimal comma, saved as a profile; the profile re-import finds only duplicates', async () => {
    const csv = win1252(
      [
        '* Transaktioner Period 2026-06-01 – 2026-06-30',
        'Bokföringsdag;Referens;Text;Belopp;Saldo',
        '2026-06-10;;Kaffe på Café Ström;-45,00;12 000,00',
        '2026-06-10;;Kaffe på Café Ström;-45,00;11 955,00',
        '2026-06-11;;Återbetalning Skatteverket;1 234,56;13 189,56',
        '2026-13-01;;Felaktigt datum;-1,00;13 188,56',
      ].join('\r\n'),
    );
    const mapping = {
      separator: ';',
      decimal: ',',
      skipLines: 1,
      columns: {
        date: 'Bokföringsdag',
        amount: 'Belopp',
        text: 'Text',
        reference: 'Referens',
        balance: 'Saldo',
      },
    };
    const result = await upload(a, accountId, csv, 'swedbank.csv', {
      mapping: JSON.stringify(mapping),
      saveProfileAs: 'Swedbank CSV',
    });
    expect(result).toMatchObject({
      status: 'done',
      format: 'csv',
      encoding: 'windows-1252',
      counts: { created: 3, duplicates: 0, rejected: 1 },
    });
    expect(result.rejected).toEqual([{ line: 6, reason: 'Invalid date "2026-13-01" (expected YYYY-MM-DD)' }]);
    expect(result.profileId).toBeTruthy();
    const coffee = await http(a).get('/bank/lines?q=caf%C3%A9%20str%C3%B6m').expect(200);
    expect(coffee.body.items.map((l: { text: string; amount: number }) => [l.text, l.amount])).toEqual([
      ['Kaffe på Café Ström', -4_500],
      ['Kaffe på Café Ström', -4_500],
    ]);
    const refund = await http(a).get('/bank/lines?q=skatteverket').expect(200);
    expect(refund.body.items[0]).toMatchObject({ amount: 123_456, balance: 1_318_956 });

    const profiles = await http(a).get('/bank/csv-profiles').expect(200);
    expect(profiles.body).toEqual([expect.objectContaining({ id: result.profileId, name: 'Swedbank CSV' })]);
    const again = await upload(a, accountId, csv, 'swedbank.csv', { profileId: result.profileId });
    expect(again.counts).toMatchObject({ created: 0, duplicates: 3, rejected: 1 });
    // A CSV without mapping or profile cannot be read.
    await t.http
      .post(api(`/bank/accounts/${accountId}/imports`))
      .set(a.auth)
      .attach('file', csv, 'x.csv')
      .expect(400);
    await t.http
      .post(api(`/bank/accounts/${accountId}/imports`))
      .set(a.auth)
      .field('mapping', '{not json')
      .attach('file', csv, 'x.csv')
      .expect(400);
  });

  it('suggestions rank the OCR bill first and say why, in Swedish and English', async () => {
    const line = await lineByRef(a, 'A-1');
    const res = await http(a).get(`/bank/lines/${line.id}/suggestions`).expect(200);
    expect(res.body[0]).toMatchObject({
      candidate: { type: 'bill', id: vattenfallBill },
      scoreVersion: 'v3',
      counterpartyKey: expect.stringMatching(/^supplier:/),
      signals: {
        reference: { kind: 'ocr', value: vattenfallOcr },
        amount: { kind: 'exact', differenceOre: 0 },
        date: { days: 2, relativeTo: 'due_date' },
      },
    });
    expect(res.body[0].confidence).toBeGreaterThan(0.99);
    expect(res.body[0].why.sv).toBe(
      `OCR ${vattenfallOcr} stämmer exakt, beloppet stämmer, 2 dagar efter förfallodag`,
    );
    expect(res.body[0].why.en).toBe(
      `OCR ${vattenfallOcr} matches exactly, the amount matches, 2 days after the due date`,
    );
  });

  it('a card purchase known only by its camt transaction code (PMNT-CCRD-POSD, no "Kortköp") is not a bill payment', async () => {
    // Its own organization: the other tests count organization a's lines.
    const d = await createUser(t, { name: 'Doris' });
    await activatePro(t, d.organizationId);
    const account = await newAccount(d);
    const clasOhlson = await supplier(d, 'Clas Ohlson AB');
    const cardAmountBill = await bill(d, { supplierId: clasOhlson, amount: 49_900, dueDate: '2026-06-10' });
    const controlBill = await bill(d, { supplierId: clasOhlson, amount: 79_900, dueDate: '2026-06-10' });
    // The bank's spelling resembles the supplier (76 %) without saying clearly it is the supplier.
    const result = await upload(
      d,
      account,
      camt([
        {
          amount: -49_900,
          date: '2026-06-09',
          ref: 'K-1',
          name: 'CLASOHLSON',
          text: 'CLASOHLSON 0412',
          code: 'PMNT-CCRD-POSD',
        },
        // The same kind of line without a code: a payment of the other bill (the name resembles enough for that).
        { amount: -79_900, date: '2026-06-09', ref: 'K-2', name: 'CLASOHLSON', text: 'CLASOHLSON 0412' },
      ]),
      'kort.xml',
    );
    expect(result).toMatchObject({ status: 'done', counts: { created: 2, rejected: 0 } });

    const card = await http(d)
      .get(`/bank/lines/${(await lineByRef(d, 'K-1')).id}`)
      .expect(200);
    expect(card.body).toMatchObject({
      transactionCode: 'PMNT-CCRD-POSD',
      text: 'CLASOHLSON 0412',
      status: 'unmatched',
    });
    const cardSuggestions = await http(d).get(`/bank/lines/${card.body.id}/suggestions`).expect(200);
    const forBill = (
      cardSuggestions.body as { candidate: { id: string }; confidence: number; why: { sv: string } }[]
    ).filter((s) => s.candidate.id === cardAmountBill);
    expect(forBill.every((s) => s.confidence < 0.5)).toBe(true);
    for (const s of forBill) expect(s.why.sv).toContain('ett kortköp, inte en betalning av räkningen');

    const control = await lineByRef(d, 'K-2');
    expect(control).toMatchObject({ transactionCode: null, status: 'suggested' });
    const controlSuggestions = await http(d).get(`/bank/lines/${control.id}/suggestions`).expect(200);
    expect(controlSuggestions.body[0]).toMatchObject({ candidate: { type: 'bill', id: controlBill } });
    expect(controlSuggestions.body[0].confidence).toBeGreaterThanOrEqual(0.5);
  });

  let firstMatchId: string;
  let firstVoucherId: string;

  it('approve → verifikation 1 with the approver; the bill is paid and the line matched; approving again changes nothing', async () => {
    const line = await lineByRef(a, 'A-1');
    const res = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { candidateId: vattenfallBill })
      .expect(200);
    expect(res.body.match).toMatchObject({
      state: 'active',
      lineId: line.id,
      candidate: { type: 'bill', id: vattenfallBill },
      automatic: false,
      approvedBy: a.id,
    });
    expect(res.body.voucher).toMatchObject({
      series: 'B',
      number: 1,
      label: 'B1',
      fiscalYear: 2026,
      date: '2026-06-03',
      approvedBy: a.id,
      createdBy: a.id,
      automatic: false,
      corrects: null,
      correctedBy: null,
      totals: { debit: 125_000, credit: 125_000 },
      source: {
        bankLineId: line.id,
        billId: vattenfallBill,
        bankAccountId: accountId,
        matchId: res.body.match.id,
      },
    });
    expect(res.body.voucher.text).toBe('Göteborg Energi AB, faktura 4711');
    expect(
      res.body.voucher.rows.map((r: { account: string; debit: number; credit: number }) => [
        r.account,
        r.debit,
        r.credit,
      ]),
    ).toEqual([
      ['2440', 125_000, 0],
      ['1930', 0, 125_000],
    ]);
    firstMatchId = res.body.match.id;
    firstVoucherId = res.body.voucher.id;

    const billNow = await http(a).get(`/bills/${vattenfallBill}`).expect(200);
    expect(billNow.body).toMatchObject({ status: 'paid', bankLineId: line.id, paidAt: '2026-06-03' });
    const lineNow = await http(a).get(`/bank/lines/${line.id}`).expect(200);
    expect(lineNow.body).toMatchObject({
      status: 'matched',
      matchId: firstMatchId,
      voucherId: firstVoucherId,
    });

    const again = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { candidateId: vattenfallBill })
      .expect(200);
    expect(again.body.voucher.id).toBe(firstVoucherId);
    const vouchers = await http(a).get('/vouchers?fiscalYear=2026').expect(200);
    expect(vouchers.body.items).toHaveLength(1);
    const audit = await http(a).get(`/audit?targetId=${line.id}&action=bank.line_approved`).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorId: a.id,
      metadata: expect.objectContaining({ voucherId: firstVoucherId, scoreVersion: 'v3' }),
    });
  });

  it('vouchers are never changed or deleted: PATCH/DELETE → 409 BOOKKEEPING_RECORD_IMMUTABLE', async () => {
    const patch = await http(a).patch(`/vouchers/${firstVoucherId}`, { text: 'x' }).expect(409);
    expect(patch.body.code).toBe('BOOKKEEPING_RECORD_IMMUTABLE');
    const del = await http(a).delete(`/vouchers/${firstVoucherId}`).expect(409);
    expect(del.body.code).toBe('BOOKKEEPING_RECORD_IMMUTABLE');
    await http(a).delete('/vouchers/A999999').expect(404);
  });

  it('undo → correcting verifikation 2 referencing 1; the original stays; line back to unmatched, bill back to open', async () => {
    const before = await http(a).get(`/vouchers/${firstVoucherId}`).expect(200);
    const res = await http(a).post(`/bank/matches/${firstMatchId}/undo`).expect(200);
    expect(res.body.match).toMatchObject({
      state: 'undone',
      undoneBy: a.id,
      correctionVoucherId: res.body.correction.id,
    });
    expect(res.body.correction).toMatchObject({
      number: 2,
      label: 'B2',
      corrects: firstVoucherId,
      date: '2026-06-15',
      createdBy: a.id,
      approvedBy: a.id,
      text: 'Rättelse av B1: Göteborg Energi AB, faktura 4711',
    });
    expect(
      res.body.correction.rows.map((r: { account: string; debit: number; credit: number }) => [
        r.account,
        r.debit,
        r.credit,
      ]),
    ).toEqual([
      ['2440', 0, 125_000],
      ['1930', 125_000, 0],
    ]);
    const original = await http(a).get(`/vouchers/${firstVoucherId}`).expect(200);
    expect(original.body.correctedBy).toBe(res.body.correction.id);
    const { correctedBy: _before, ...unchangedBefore } = before.body;
    const { correctedBy: _after, ...unchangedAfter } = original.body;
    expect(unchangedAfter).toEqual(unchangedBefore);

    const line = await lineByRef(a, 'A-1');
    expect(line).toMatchObject({ status: 'unmatched', matchId: null, voucherId: null });
    const billNow = await http(a).get(`/bills/${vattenfallBill}`).expect(200);
    expect(billNow.body).toMatchObject({ status: 'open', bankLineId: null });
    const second = await http(a).post(`/bank/matches/${firstMatchId}/undo`).expect(409);
    expect(second.body.code).toBe('MATCH_ALREADY_UNDONE');
    // The line can be booked again: a new match, voucher 3.
    const rebook = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { candidateId: vattenfallBill })
      .expect(200);
    expect(rebook.body.voucher.number).toBe(3);
    expect(rebook.body.match.id).not.toBe(firstMatchId);
  });

  it('reject is recorded: the policy counts it, the candidate is not suggested again, automatic booking is refused', async () => {
    const fortum = await supplier(a, 'Fortum Sverige');
    await bill(a, { supplierId: fortum, amount: 33_300, dueDate: '2026-06-05' });
    const result = await upload(
      a,
      accountId,
      camt([{ amount: -33_300, date: '2026-06-06', ref: 'R-1', text: 'BETALNING' }]),
      'r.xml',
    );
    expect(result.counts.created).toBe(1);
    const line = await lineByRef(a, 'R-1');
    const suggestions = await http(a).get(`/bank/lines/${line.id}/suggestions`).expect(200);
    expect(suggestions.body[0].why.sv).toBe('Beloppet stämmer, 1 dag efter förfallodag');
    const candidateId = suggestions.body[0].candidate.id;
    const rejected = await http(a).post(`/bank/lines/${line.id}/reject`, { candidateId }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', suggestions: [] });
    const after = await http(a).get(`/bank/lines/${line.id}/suggestions`).expect(200);
    expect(after.body.map((s: { candidate: { id: string } }) => s.candidate.id)).not.toContain(candidateId);
    await http(a).post(`/bank/lines/${line.id}/approve`, { candidateId }).expect(409);

    const policy = await http(a).get(`/bank/policies/${rejected.body.policyId}`).expect(200);
    expect(policy.body).toMatchObject({
      counterpartyKey: `supplier:${fortum}`,
      rejectedCount: 1,
      approvedCount: 0,
      autoEnabled: false,
      canEnable: false,
      threshold: 3,
    });
    const refused = await http(a)
      .patch(`/bank/policies/${rejected.body.policyId}`, { autoEnabled: true })
      .expect(409);
    expect(refused.body).toMatchObject({
      code: 'POLICY_THRESHOLD_NOT_MET',
      details: { approvalsSinceSetback: 0, threshold: 3 },
    });
    const vattenfallPolicies = await http(a).get('/bank/policies').expect(200);
    const energi = vattenfallPolicies.body.items.find((p: { label: string }) =>
      p.label.startsWith('Göteborg Energi'),
    );
    expect(energi).toMatchObject({
      approvedCount: 2,
      undoneCount: 1,
      approvalsSinceSetback: 1,
      autoEnabled: false,
    });
    // The line can still be booked as a new transaction in a category (with a supplier that exists).
    const unknownSupplier = await http(a)
      .post(`/bank/lines/${line.id}/approve`, {
        create: { categoryId: expenseCategoryId, supplierId: 'A999999' },
      })
      .expect(400);
    expect(unknownSupplier.body).toMatchObject({
      code: 'INVALID_REFERENCE',
      details: { field: 'create.supplierId' },
    });
    const created = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { create: { categoryId: expenseCategoryId } })
      .expect(200);
    expect(created.body.match).toMatchObject({ created: true, candidate: { type: 'transaction' } });
    expect(
      created.body.voucher.rows.map((r: { account: string; debit: number; credit: number }) => [
        r.account,
        r.debit,
        r.credit,
      ]),
    ).toEqual([
      ['5020', 33_300, 0],
      ['1930', 0, 33_300],
    ]);
    const tx = await http(a).get(`/transactions/${created.body.match.candidate.id}`).expect(200);
    expect(tx.body).toMatchObject({
      amount: 33_300,
      type: 'expense',
      source: 'bank',
      categoryId: expenseCategoryId,
    });
    // The same request again answers the same booking; a different one is refused, nothing is written.
    const again = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { create: { categoryId: expenseCategoryId } })
      .expect(200);
    expect(again.body.match.id).toBe(created.body.match.id);
    const other = await http(a)
      .post('/categories', { name: 'Övrigt boende', kind: 'expense', basAccount: '5090' })
      .expect(201);
    const refusedOther = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { create: { categoryId: other.body.id } })
      .expect(409);
    expect(refusedOther.body.code).toBe('LINE_NOT_OPEN');
    const tx2 = await http(a).get(`/transactions/${created.body.match.candidate.id}`).expect(200);
    expect(tx2.body.categoryId).toBe(expenseCategoryId);
  });

  it('automatic booking: refused below the threshold, enabled after 3 approvals, marked automatic with policy and score version, undone like any match', async () => {
    const telia = await supplier(a, 'Telia Sverige AB', ['telia']);
    const ocrs = ['1', '2', '3', '4'].map((n) => ocr(`77700${n}`));
    const bills = [];
    for (let i = 0; i < 4; i++)
      bills.push(
        await bill(a, { supplierId: telia, amount: 39_900 + i, dueDate: `2026-06-0${i + 1}`, ocr: ocrs[i] }),
      );
    await upload(
      a,
      accountId,
      camt(
        [0, 1, 2].map((i) => ({
          amount: -(39_900 + i),
          date: `2026-06-0${i + 2}`,
          ref: `T-${i}`,
          ocr: ocrs[i],
          name: 'TELIA',
        })),
      ),
      't.xml',
    );
    let policyId = '';
    for (let i = 0; i < 3; i++) {
      const line = await lineByRef(a, `T-${i}`);
      expect(line.status).toBe('suggested');
      const approved = await http(a)
        .post(`/bank/lines/${line.id}/approve`, { candidateId: bills[i] })
        .expect(200);
      expect(approved.body.voucher.automatic).toBe(false);
      if (i === 1) {
        const policies = await http(a).get('/bank/policies').expect(200);
        policyId = policies.body.items.find(
          (p: { counterpartyKey: string }) => p.counterpartyKey === `supplier:${telia}`,
        ).id;
        const refused = await http(a).patch(`/bank/policies/${policyId}`, { autoEnabled: true }).expect(409);
        expect(refused.body.details).toMatchObject({ approvalsSinceSetback: 2, threshold: 3 });
      }
    }
    const enabled = await http(a).patch(`/bank/policies/${policyId}`, { autoEnabled: true }).expect(200);
    expect(enabled.body).toMatchObject({
      autoEnabled: true,
      autoActive: true,
      approvedCount: 3,
      autoEnabledBy: a.id,
    });

    const result = await upload(
      a,
      accountId,
      camt([{ amount: -39_903, date: '2026-06-05', ref: 'T-3', ocr: ocrs[3], name: 'TELIA' }]),
      't4.xml',
    );
    expect(result.counts).toMatchObject({ created: 1, autoBooked: 1 });
    const line = await lineByRef(a, 'T-3');
    expect(line.status).toBe('matched');
    const voucher = await http(a).get(`/vouchers/${line.voucherId}`).expect(200);
    expect(voucher.body).toMatchObject({
      automatic: true,
      createdBy: 'system',
      approvedBy: null,
      scoreVersion: 'v3',
      policy: { id: policyId, counterpartyKey: `supplier:${telia}`, autoEnabledBy: a.id },
      source: { billId: bills[3] },
    });
    const audit = await http(a).get(`/audit?targetId=${line.id}&action=bank.line_auto_booked`).expect(200);
    expect(audit.body.items[0]).toMatchObject({
      actorId: null,
      metadata: expect.objectContaining({ automatic: true, policyId, scoreVersion: 'v3' }),
    });

    const undone = await http(a).post(`/bank/matches/${line.matchId}/undo`).expect(200);
    expect(undone.body.correction).toMatchObject({ corrects: line.voucherId, automatic: false });
    const policy = await http(a).get(`/bank/policies/${policyId}`).expect(200);
    expect(policy.body).toMatchObject({
      autoEnabled: false,
      autoActive: false,
      autoBookedCount: 1,
      undoneCount: 1,
      autoDisabledReason: 'undone',
    });
  });

  it('ignoring a line needs an organization admin', async () => {
    const line = await lineByRef(a, 'A-2');
    await t.http
      .post(api(`/organizations/${a.organizationId}/invitations`))
      .set(a.auth)
      .send({ email: 'medlem@example.se', role: 'member' })
      .expect(201);
    const mail = await t.mail.waitFor('medlem@example.se', /./);
    const member = await createUser(t, { email: 'medlem@example.se', name: 'Medlem' });
    await t.http
      .post(api('/invitations/accept'))
      .set(member.auth)
      .send({ token: MailCatcher.token(mail) })
      .expect(200);
    const asMember = { ...member.auth, 'X-Organization-Id': a.organizationId };
    await t.http
      .get(api(`/bank/lines/${line.id}`))
      .set(asMember)
      .expect(200);
    const refused = await t.http
      .post(api(`/bank/lines/${line.id}/ignore`))
      .set(asMember)
      .send({ reason: 'Egen överföring' })
      .expect(403);
    expect(refused.body.code).toBe('INSUFFICIENT_ORG_ROLE');
    const ignored = await http(a)
      .post(`/bank/lines/${line.id}/ignore`, { reason: 'Egen överföring' })
      .expect(200);
    expect(ignored.body).toMatchObject({
      status: 'ignored',
      ignored: { reason: 'Egen överföring', by: a.id },
    });
    const list = await http(a).get('/bank/lines?status=ignored').expect(200);
    expect(list.body.items.map((l: { id: string }) => l.id)).toEqual([line.id]);
  });

  it('concurrent approvals on two app instances get numbers 1..11 without gaps or repeats; one line approved twice at once books once', async () => {
    // A second API instance on the same database: its in-process queue cannot serialize against the first one's,
    // so the numbers must come from the database's unique index.
    const second: NestExpressApplication = await createHttpApp({ ...t.config, role: 'api' });
    await second.init();
    second.get(Clock).travelTo(new Date('2026-06-15T10:00:00Z'));
    try {
      const account = await newAccount(c, 'Föreningskonto');
      const s = await supplier(c, 'Hyresvärden AB');
      const bills: string[] = [];
      const ocrs: string[] = [];
      for (let i = 0; i < 11; i++) {
        ocrs.push(ocr(`90${String(i).padStart(4, '0')}`));
        bills.push(await bill(c, { supplierId: s, amount: 10_000 + i, dueDate: '2026-06-10', ocr: ocrs[i] }));
      }
      const result = await upload(
        c,
        account,
        camt(ocrs.map((o, i) => ({ amount: -(10_000 + i), date: '2026-06-10', ref: `C-${i}`, ocr: o }))),
        'c.xml',
      );
      expect(result.counts.created).toBe(11);
      const lines = (await http(c).get('/bank/lines?limit=100').expect(200)).body.items as {
        id: string;
        bankReference: string;
      }[];
      const twice = lines.find((l) => l.bankReference === 'C-10')!;
      const others = lines.filter((l) => l !== twice);
      const servers = [t.app.getHttpServer(), second.getHttpServer()];
      const approve = (k: number, lineId: string, candidateId: string) =>
        request(servers[k % 2])
          .post(api(`/bank/lines/${lineId}/approve`))
          .set(c.auth)
          .send({ candidateId });
      const responses = await Promise.all([
        ...others.map((l, k) => approve(k, l.id, bills[Number(l.bankReference.slice(2))])),
        approve(0, twice.id, bills[10]),
        approve(1, twice.id, bills[10]),
      ]);
      const [dup1, dup2] = responses.slice(-2);
      const single = responses.slice(0, -2);
      expect(single.map((r) => r.status)).toEqual(Array(10).fill(200));
      // The same line approved twice at once: one booking; the slower call either finishes the same booking or is told
      // that it is in progress.
      const okDup = [dup1, dup2].filter((r) => r.status === 200);
      expect(okDup.length).toBeGreaterThanOrEqual(1);
      for (const r of [dup1, dup2])
        if (r.status !== 200) expect([r.status, r.body.code]).toEqual([409, 'LINE_BOOKING_IN_PROGRESS']);
      expect(new Set(okDup.map((r) => r.body.voucher.id)).size).toBe(1);

      const listed = await http(c).get('/vouchers?fiscalYear=2026&limit=50').expect(200);
      expect(listed.body.items.map((v: { number: number }) => v.number)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
      expect(
        new Set(listed.body.items.map((v: { source: { billId: string } }) => v.source.billId)).size,
      ).toBe(11);
      const twiceLine = await http(c).get(`/bank/lines/${twice.id}`).expect(200);
      expect(twiceLine.body).toMatchObject({ status: 'matched', voucherId: okDup[0].body.voucher.id });

      // Maximum contention on the numbering itself: 2 instances × 15 writes at the same moment, in a fresh organization.
      const d = await createUser(t, { name: 'David' });
      const draft = (k: number): VoucherDraft => ({
        date: '2026-06-12',
        text: `Test ${k}`,
        rows: [
          {
            account: '6990',
            accountName: 'Övriga externa kostnader',
            debit: 100 + k,
            credit: 0,
            categoryId: null,
          },
          { account: '1930', accountName: 'Bank', debit: 0, credit: 100 + k, categoryId: null },
        ],
        source: {
          bankLineId: null,
          bankAccountId: null,
          billId: null,
          transactionId: null,
          importId: null,
          matchId: null,
        },
        sourceKey: `test:${k}`,
        createdBy: d.id,
        approvedBy: d.id,
        approvedAt: new Date(),
        automatic: false,
        corrects: null,
        policy: null,
        scoreVersion: null,
        confidence: null,
      });
      const writeOn = (app: NestExpressApplication, k: number) =>
        app.get(RequestContext).run(
          {
            tenant: { organizationId: d.organizationId, orgRole: 'owner' },
            actor: { userId: d.id, platformRole: 'user' },
          },
          () => app.get(VouchersService).write(draft(k)),
        );
      const written = await Promise.all(
        Array.from({ length: 30 }, (_, k) => writeOn(k % 2 ? second : t.app, k)),
      );
      expect(written.map((v) => v.number).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 30 }, (_, k) => k + 1),
      );
      // The same step written again (a retry) finds its voucher instead of taking a number.
      const retried = await Promise.all([writeOn(t.app, 3), writeOn(second, 3)]);
      expect(retried.map((v) => v._id)).toEqual([written[3]._id, written[3]._id]);
    } finally {
      await second.close();
    }
  });

  it('a booking interrupted after the bill was paid (no voucher yet) is completed by approving the line again', async () => {
    const s = await supplier(a, 'Avbrutna Bolaget AB');
    const o = ocr('4242420');
    const billId = await bill(a, { supplierId: s, amount: 7_700, dueDate: '2026-06-08', ocr: o });
    await upload(a, accountId, camt([{ amount: -7_700, date: '2026-06-08', ref: 'X-1', ocr: o }]), 'x.xml');
    const line = await lineByRef(a, 'X-1');
    // Steps 1 and 2 of an approval, then a "crash": the match is claimed and pending, the bill already paid.
    const matchId = await t.app.get(GlobalIdService).getNextGlobalId();
    await t.app.get(RequestContext).run(
      {
        tenant: { organizationId: a.organizationId, orgRole: 'owner' },
        actor: { userId: a.id, platformRole: 'user' },
      },
      async () => {
        const claimed = await t.app.get(BankMatchesRepository).claim({
          _id: matchId,
          lineId: line.id,
          lineKey: `${line.id}#0`,
          claimKey: `bill:${billId}`,
          candidateType: 'bill',
          candidateId: billId,
          create: null,
          label: 'Avbrutna Bolaget AB',
          voucherText: 'Avbrutna Bolaget AB',
          categoryId: null,
          supplierId: s,
          state: 'pending',
          itemDone: false,
          voucherId: null,
          correctionVoucherId: null,
          confidence: 0.99,
          why: null,
          signals: null,
          scoreVersion: 'v1',
          counterpartyKey: `supplier:${s}`,
          automatic: false,
          policyId: null,
          approvedBy: a.id,
          approvedAt: new Date(),
          undoneBy: null,
          undoneAt: null,
        });
        expect(claimed.ok).toBe(true);
        await t.app
          .get<BillsForMatching>(BILLS)
          .markPaid(billId, { paidAt: '2026-06-08', bankLineId: line.id });
      },
    );
    // Another approval of the line with a different item is refused while the first is in progress.
    const other = await http(a)
      .post(`/bank/lines/${line.id}/approve`, { create: { categoryId: expenseCategoryId } })
      .expect(409);
    expect(other.body.code).toBe('LINE_BOOKING_IN_PROGRESS');
    const res = await http(a).post(`/bank/lines/${line.id}/approve`, { candidateId: billId }).expect(200);
    expect(res.body.match).toMatchObject({ id: matchId, state: 'active' });
    expect(res.body.voucher).toMatchObject({
      source: { billId, matchId },
      totals: { debit: 7_700, credit: 7_700 },
    });
    const billNow = await http(a).get(`/bills/${billId}`).expect(200);
    expect(billNow.body).toMatchObject({ status: 'paid', bankLineId: line.id });
    const all = await http(a).get('/vouchers?fiscalYear=2026&limit=200').expect(200);
    expect(
      all.body.items.filter((v: { source: { billId: string | null } }) => v.source.billId === billId),
    ).toHaveLength(1);
  });

  it("another organization's lines, bills, vouchers, imports, accounts, matches and policies are 404", async () => {
    const line = await lineByRef(a, 'A-1');
    const imports = await http(a).get('/bank/imports').expect(200);
    const policies = await http(a).get('/bank/policies').expect(200);
    const paths: [string, string][] = [
      [`/bank/lines/${line.id}`, 'bank_line'],
      [`/bank/lines/${line.id}/suggestions`, 'bank_line'],
      [`/bills/${vattenfallBill}`, 'bill'],
      [`/vouchers/${firstVoucherId}`, 'voucher'],
      [`/bank/imports/${imports.body.items[0].id}`, 'bank_import'],
      [`/bank/accounts/${accountId}`, 'bank_account'],
      [`/bank/matches/${firstMatchId}`, 'bank_match'],
      [`/bank/policies/${policies.body.items[0].id}`, 'bank_policy'],
    ];
    for (const [path, type] of paths) {
      const res = await http(b).get(path);
      expect([path, res.status, res.body.code, res.body.details]).toEqual([path, 404, 'NOT_FOUND', { type }]);
    }
    await http(b).post(`/bank/lines/${line.id}/approve`, { candidateId: vattenfallBill }).expect(404);
    await http(b).post(`/bank/lines/${line.id}/reject`, { candidateId: vattenfallBill }).expect(404);
    await http(b).post(`/bank/matches/${firstMatchId}/undo`).expect(404);
    await http(b).patch(`/bank/policies/${policies.body.items[0].id}`, { autoEnabled: false }).expect(404);
    await http(b).delete(`/vouchers/${firstVoucherId}`).expect(404);
    await t.http
      .post(api(`/bank/accounts/${accountId}/imports`))
      .set(b.auth)
      .attach('file', camtFile, 'x.xml')
      .expect(404);
    expect((await http(b).get('/vouchers?fiscalYear=2026').expect(200)).body.items).toEqual([]);
    expect((await http(b).get('/bank/lines').expect(200)).body.items).toEqual([]);
    // B's own bill cannot be approved onto A's line, and A's line is not B's to see.
    await http(b).get('/bank/lines/not-an-id').expect(404);
  });

  it('a bank account goes to the trash like every other record: undo payload, hidden, restored; its lines stay', async () => {
    const created = await http(a)
      .post('/bank/accounts', {
        name: 'Sparkonto',
        bank: 'Nordea',
        clearingNumber: '3300',
        accountNumber: '1234567890',
      })
      .expect(201);
    const id = created.body.id as string;
    await http(b).delete(`/bank/accounts/${id}`).expect(404);
    const removed = await http(a).delete(`/bank/accounts/${id}`).expect(200);
    expect(removed.body).toMatchObject({ id, type: 'bank_account', undo: { method: 'POST' } });
    await http(a).get(`/bank/accounts/${id}`).expect(404);
    const listed = await http(a).get('/bank/accounts').expect(200);
    expect((listed.body.items as { id: string }[]).map((x) => x.id)).not.toContain(id);
    const trash = await http(a).get('/trash?type=bank_account').expect(200);
    expect((trash.body.items as { id: string; label: string }[]).find((x) => x.id === id)).toMatchObject({
      label: 'Sparkonto',
    });
    await t.http
      .post(removed.body.undo.href as string)
      .set(a.auth)
      .expect(200);
    await http(a).get(`/bank/accounts/${id}`).expect(200);
    // the account the statements were imported on: its lines stay when it is in the trash
    const linesBefore = (await http(a).get(`/bank/lines?bankAccountId=${accountId}`).expect(200)).body.items
      .length;
    const undo = (await http(a).delete(`/bank/accounts/${accountId}`).expect(200)).body as {
      undo: { href: string };
    };
    expect((await http(a).get(`/bank/lines?bankAccountId=${accountId}`).expect(200)).body.items).toHaveLength(
      linesBefore,
    );
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
  });

  it('SIE 4 export: CP437 bytes with #FLAGGA, #SIETYP 4, #ORGNR, #RAR, #KONTO and #VER/#TRANS', async () => {
    const missing = await http(a).get('/vouchers/export.sie?fiscalYear=2026').expect(409);
    expect(missing.body.code).toBe('SIE_ORG_NUMBER_MISSING');
    await http(a).patch('/bookkeeping/settings', { orgNumber: '5560360793' }).expect(200);
    const res = await http(a)
      .get('/vouchers/export.sie?fiscalYear=2026')
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('IBM437');
    expect(res.headers['content-disposition']).toContain('.se');
    const bytes = res.body as Buffer;
    const text = bytes.toString('latin1');
    expect(text.startsWith('#FLAGGA 0\r\n#PROGRAM "WestWallet"')).toBe(true);
    for (const line of [
      '#FORMAT PC8',
      '#SIETYP 4',
      '#ORGNR 556036-0793',
      '#RAR 0 20260101 20261231',
      '#KONTO 2440 "Leverant\x94rsskulder"',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('#VER B 1 20260603 "G\x94teborg Energi AB, faktura 4711" 20260615');
    expect(text).toContain(
      '#VER B 2 20260615 "R\x84ttelse av B1: G\x94teborg Energi AB, faktura 4711" 20260615',
    );
    expect(text).toContain('{\r\n   #TRANS 2440 {} 1250.00\r\n   #TRANS 1930 {} -1250.00\r\n}');
    expect(bytes.includes(Buffer.from('ö', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from([0x94]))).toBe(true);
    const versions = text.match(/^#VER /gm) ?? [];
    const listed = await http(a).get('/vouchers?fiscalYear=2026&limit=200').expect(200);
    expect(versions.length).toBe(listed.body.items.length);
  });
});
