import { looksLikeCamt053, parseCamt053 } from './camt053.parser';
import { StatementFormatError } from './statement';

const doc = (
  entries: string,
  ns = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02',
) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-31T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></Acct>
      ${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;

const billPayment = `
      <Ntry>
        <Amt Ccy="SEK">1250.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-02</Dt></BookgDt>
        <ValDt><Dt>2026-03-02</Dt></ValDt>
        <AcctSvcrRef>2026030200012345</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Cdtr><Nm>VATTENFALL AB</Nm></Cdtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>0012345678903</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;

const salary = `
      <Ntry>
        <Amt Ccy="SEK">25000.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><DtTm>2026-03-25T06:00:00</DtTm></BookgDt>
        <AcctSvcrRef>2026032500000001</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>LON-2026-03</EndToEndId></Refs>
          <RltdPties><Dbtr><Pty><Nm>Arbetsgivaren i Göteborg AB</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>Lön mars</Ustrd><Ustrd>2026</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;

describe('parseCamt053', () => {
  it('reads booked entries: direction, dates, references, OCR, counterparty, texts', () => {
    const result = parseCamt053(Buffer.from(doc(billPayment + salary)));
    expect(result.rejected).toEqual([]);
    expect(result.lines).toEqual([
      {
        lineNo: 1,
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        amount: -125000,
        currency: 'SEK',
        text: 'VATTENFALL AB',
        reference: '0012345678903',
        counterpartyName: 'VATTENFALL AB',
        bankReference: '2026030200012345',
        endToEndId: null,
        balance: null,
        transactionCode: null,
      },
      {
        lineNo: 2,
        bookingDate: '2026-03-25',
        valueDate: null,
        amount: 2500050,
        currency: 'SEK',
        text: 'Lön mars 2026',
        reference: null,
        counterpartyName: 'Arbetsgivaren i Göteborg AB',
        bankReference: '2026032500000001',
        endToEndId: 'LON-2026-03',
        balance: null,
        transactionCode: null,
      },
    ]);
  });

  it('works with namespace prefixes and newer versions', () => {
    const prefixed = doc(billPayment, 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08')
      .replace(/<(\/?)(\w+)/g, '<$1c:$2')
      .replace('xmlns=', 'xmlns:c=')
      .replace('<?c:xml', '<?xml');
    const result = parseCamt053(Buffer.from(prefixed));
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatchObject({ amount: -125000, reference: '0012345678903' });
  });

  it('splits a batch entry into one line per transaction when the amounts add up', () => {
    const batch = `
      <Ntry>
        <Amt Ccy="SEK">300.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-10</Dt></BookgDt><AcctSvcrRef>BATCH-9</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">100.00</Amt></TxAmt></AmtDtls><RltdPties><Cdtr><Nm>Telia</Nm></Cdtr></RltdPties></TxDtls>
          <TxDtls><Refs><AcctSvcrRef>TX-2</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy="SEK">200.00</Amt></TxAmt></AmtDtls><RltdPties><Cdtr><Nm>Tele2</Nm></Cdtr></RltdPties></TxDtls>
        </NtryDtls>
      </Ntry>`;
    const { lines } = parseCamt053(Buffer.from(doc(batch)));
    expect(lines.map((l) => [l.amount, l.counterpartyName, l.bankReference])).toEqual([
      [-10000, 'Telia', 'BATCH-9#1'],
      [-20000, 'Tele2', 'TX-2'],
    ]);
  });

  it('reads the bank transaction code: ISO Domain-Family-SubFamily, else proprietary, a transaction before its entry', () => {
    const card = `
      <Ntry>
        <Amt Ccy="SEK">499.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-12</Dt></BookgDt><AcctSvcrRef>CARD-1</AcctSvcrRef>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>POSD</SubFmlyCd></Fmly></Domn>
          <Prtry><Cd>KORT</Cd><Issr>BANK</Issr></Prtry>
        </BkTxCd>
        <NtryDtls><TxDtls><RmtInf><Ustrd>SL ACCESS 0412</Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>`;
    const proprietary = `
      <Ntry>
        <Amt Ccy="SEK">120.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-13</Dt></BookgDt><AcctSvcrRef>PRTRY-1</AcctSvcrRef>
        <BkTxCd><Prtry><Cd>NTRF+112</Cd><Issr>SWIFT</Issr></Prtry></BkTxCd>
      </Ntry>`;
    const txLevel = `
      <Ntry>
        <Amt Ccy="SEK">300.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-14</Dt></BookgDt><AcctSvcrRef>BATCH-2</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">100.00</Amt></TxAmt></AmtDtls>
            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>POSD</SubFmlyCd></Fmly></Domn></BkTxCd></TxDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">200.00</Amt></TxAmt></AmtDtls></TxDtls>
        </NtryDtls>
      </Ntry>`;
    const domainOnly = `
      <Ntry>
        <Amt Ccy="SEK">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-15</Dt></BookgDt><AcctSvcrRef>FEE-1</AcctSvcrRef>
        <BkTxCd><Domn><Cd>ACMT</Cd></Domn></BkTxCd>
      </Ntry>`;
    const { lines } = parseCamt053(Buffer.from(doc(card + proprietary + txLevel + domainOnly + billPayment)));
    expect(lines.map((l) => [l.bankReference, l.transactionCode])).toEqual([
      ['CARD-1', 'PMNT-CCRD-POSD'],
      ['PRTRY-1', 'NTRF+112'],
      ['BATCH-2#1', 'PMNT-CCRD-POSD'],
      ['BATCH-2#2', 'PMNT-ICDT-DMCT'],
      ['FEE-1', 'ACMT'],
      ['2026030200012345', null],
    ]);
  });

  it('rejects pending entries and entries without amount or date, with their position', () => {
    const pending = billPayment.replace('<Sts>BOOK</Sts>', '<Sts>PDNG</Sts>');
    const noAmount = salary.replace('<Amt Ccy="SEK">25000.50</Amt>', '');
    const noDate = salary.replace(/<BookgDt>.*<\/BookgDt>/, '');
    const { lines, rejected } = parseCamt053(Buffer.from(doc(pending + noAmount + noDate + billPayment)));
    expect(rejected).toEqual([
      { line: 1, reason: 'Entry status PDNG: only booked entries are imported' },
      { line: 2, reason: 'Amount missing or not a positive amount' },
      { line: 3, reason: 'Booking date missing or invalid' },
    ]);
    expect(lines.map((l) => l.lineNo)).toEqual([4]);
  });

  it('fails the file for broken XML or another document', () => {
    expect(() => parseCamt053(Buffer.from('<Document><BkToCstmrStmt>'))).toThrow(StatementFormatError);
    expect(() => parseCamt053(Buffer.from('<Document><pain.001/></Document>'))).toThrow(/camt.053/);
    expect(() => parseCamt053(Buffer.from('Datum;Belopp'))).toThrow(/ISO 20022/);
  });

  it('recognises a camt.053 upload by its content', () => {
    expect(looksLikeCamt053(Buffer.from(doc(billPayment)))).toBe(true);
    expect(looksLikeCamt053(Buffer.from('Datum;Belopp\n'))).toBe(false);
  });
});
