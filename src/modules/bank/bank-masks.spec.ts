import { maskAccountNumber, maskNumber } from './accounts/accounts.service';
import { failureText } from './imports/imports.service';
import { maskPersonnummer } from './vouchers/vouchers.service';

describe('what viewers, tenants and the audit log see', () => {
  it('a personnummer keeps only its last two digits', () => {
    expect(maskPersonnummer('811218-9876')).toBe('••••••-••76');
    expect(maskPersonnummer('8112189876')).toBe('••••••-••76');
    expect(maskPersonnummer('811218-9876')).not.toMatch(/8112|987/);
  });

  it('an account number keeps only its last four digits; the list form keeps the clearing number', () => {
    expect(maskAccountNumber('1234567890')).toBe('•••• 7890');
    expect(maskNumber('8327-9', '1234567890')).toBe('8327-9 ••••7890');
  });

  it('a failed import: the file’s fault names it, ours never carries an internal message', () => {
    expect(failureText({ code: 'IMPORT_FILE_UNREADABLE', detail: 'Column "Belopp" not found' })).toEqual({
      sv: 'Filen kunde inte läsas: Column "Belopp" not found',
      en: 'The file could not be read: Column "Belopp" not found',
    });
    const internal = failureText({ code: 'IMPORT_FAILED_INTERNAL' });
    expect(internal.sv).toMatch(/^Importen misslyckades/);
    expect(internal.en).toMatch(/^The import failed because of an internal error/);
  });
});
