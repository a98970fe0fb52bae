import { Injectable, OnModuleInit } from '@nestjs/common';
import { FieldCrypto } from '../../infrastructure/crypto/field-crypto';
import { RecordRegistry } from '../trash/record-registry';
import { BankAccountsRepository } from './accounts/accounts.repository';
import type { BankAccountDoc } from './accounts/accounts.schema';
import { BankImportsRepository, CsvProfilesRepository } from './imports/imports.repository';
import type { BankImportDoc, CsvProfileDoc } from './imports/imports.schema';
import { BankLinesRepository } from './lines/lines.repository';
import type { BankLineDoc } from './lines/lines.schema';
import { BankMatchesRepository } from './matching/matching.repository';
import type { BankMatchDoc } from './matching/matching.schema';
import { BankPoliciesRepository, PolicyEventsRepository } from './policies/policies.repository';
import type { BankPolicyDoc, PolicyEventDoc } from './policies/policies.schema';

/** Record type names in the trash, the uploads and audit entries: never rename. */
export const BANK_RECORD_TYPES = {
  account: 'bank_account',
  line: 'bank_line',
  import: 'bank_import',
  match: 'bank_match',
  policy: 'bank_policy',
  policyEvent: 'bank_policy_event',
  csvProfile: 'bank_csv_profile',
} as const;

/**
 * Why the organization import leaves the bank data out (docs/portability.md): it is in the export, but a bank line
 * belongs to an account whose statements are imported again into the new organization.
 */
export const BANK_NOT_IMPORTED = {
  sv: 'Bankdata importeras inte: raderna hör till kontoutdrag som läses in på nytt i den nya organisationen (bankkonto och kontoutdrag). Den finns kvar i arkivet.',
  en: 'Bank data is not imported: its lines belong to statements that are imported again in the new organization (bank account and statement). It stays in the archive.',
};

/**
 * Why the organization import leaves the bookkeeping out: the verifikationer stay readable in the archive (BFL 7
 * kap), but a number series cannot be replayed into another organization's series.
 */
export const BOOKKEEPING_NOT_IMPORTED = {
  sv: 'Bokföringen importeras inte: en verifikationsserie kan inte spelas upp i en annan organisations nummerserie. Verifikationerna finns kvar läsbara i arkivet.',
  en: "The bookkeeping is not imported: a voucher series cannot be replayed into another organization's number series. The vouchers stay readable in the archive.",
};

/** The AAD a bank account's encrypted numbers are bound to (the accounts service and the export decrypt with it). */
export const accountAad = (id: string, field: 'clearingNumber' | 'accountNumber') =>
  `bank_accounts.${id}.${field}`;

/**
 * Registers the bank's records. A bank account goes to the trash like every other record (DELETE answers the undo
 * payload, `POST /trash/:id/restore` brings it back). Its lines, imports and vouchers stay where they are
 * (bookkeeping, BFL 7 kap); the retention purge removes the account for good only when no bank line refers to it —
 * otherwise it stays soft-deleted, so the vouchers keep the account they were booked on.
 *
 * Every bank type is in the organization export, export-only (`importable: false`, docs/portability.md): the
 * account numbers are decrypted into the archive (the organization's own data). Only the account can own files or
 * go to the trash; the other types are registered for the export alone.
 */
@Injectable()
export class BankRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly accounts: BankAccountsRepository,
    private readonly lines: BankLinesRepository,
    private readonly imports: BankImportsRepository,
    private readonly matches: BankMatchesRepository,
    private readonly policies: BankPoliciesRepository,
    private readonly policyEvents: PolicyEventsRepository,
    private readonly csvProfiles: CsvProfilesRepository,
    private readonly crypto: FieldCrypto,
  ) {}

  onModuleInit(): void {
    this.registry.register<BankAccountDoc>({
      type: BANK_RECORD_TYPES.account,
      find: (id, { withDeleted }) => this.accounts.findById(id, { withDeleted }),
      label: (a) => a.name,
      canOwnFiles: false,
      portable: {
        file: 'bank_accounts',
        importable: false,
        reason: BANK_NOT_IMPORTED,
        userFields: ['createdBy'],
        list: () => this.accounts.find({}),
        toRow: ({ clearingNumberEnc, accountNumberEnc, ...a }) => ({
          ...a,
          clearingNumber: this.decrypt(clearingNumberEnc, accountAad(String(a._id), 'clearingNumber')),
          accountNumber: this.decrypt(accountNumberEnc, accountAad(String(a._id), 'accountNumber')),
        }),
      },
      trash: {
        softDelete: (id, at) => this.accounts.softDeleteById(id, at),
        restore: (id) => this.accounts.restoreById(id),
        purge: async (id) => {
          if ((await this.lines.count({ bankAccountId: id })) === 0) await this.accounts.purgeDeleted(id);
        },
      },
    });
    this.registry.register<BankLineDoc>({
      type: BANK_RECORD_TYPES.line,
      find: (id) => this.lines.findById(id),
      label: (l) => `${l.bookingDate} ${l.text}`,
      canOwnFiles: false,
      portable: this.exportOnly('bank_lines', () => this.lines.find({})),
    });
    this.registry.register<BankImportDoc>({
      type: BANK_RECORD_TYPES.import,
      find: (id) => this.imports.findById(id),
      label: (i) => i._id,
      canOwnFiles: false,
      portable: this.exportOnly('bank_imports', () => this.imports.find({})),
    });
    this.registry.register<BankMatchDoc>({
      type: BANK_RECORD_TYPES.match,
      find: (id) => this.matches.findById(id),
      label: (m) => m._id,
      canOwnFiles: false,
      portable: this.exportOnly('bank_matches', () => this.matches.find({})),
    });
    this.registry.register<BankPolicyDoc>({
      type: BANK_RECORD_TYPES.policy,
      find: (id) => this.policies.findById(id),
      label: (p) => p._id,
      canOwnFiles: false,
      portable: this.exportOnly('bank_policies', () => this.policies.find({})),
    });
    this.registry.register<PolicyEventDoc>({
      type: BANK_RECORD_TYPES.policyEvent,
      find: (id) => this.policyEvents.findById(id),
      label: (e) => `${e.kind} ${e.counterpartyKey}`,
      canOwnFiles: false,
      portable: {
        ...this.exportOnly('bank_policy_events', () => this.policyEvents.find({})),
        userFields: ['actorId'],
      },
    });
    this.registry.register<CsvProfileDoc>({
      type: BANK_RECORD_TYPES.csvProfile,
      find: (id) => this.csvProfiles.findById(id),
      label: (p) => p.name,
      canOwnFiles: false,
      portable: this.exportOnly('bank_csv_profiles', () => this.csvProfiles.find({})),
    });
  }

  private exportOnly<R>(file: string, list: () => Promise<R[]>) {
    return { file, importable: false as const, reason: BANK_NOT_IMPORTED, list };
  }

  private decrypt(value: unknown, aad: string): string | null {
    return typeof value === 'string' ? this.crypto.decrypt(value, aad) : null;
  }
}
