import { Injectable } from '@nestjs/common';
import { ORG_ROLE_RANK } from '../../../common/auth/roles';
import { RequestContext } from '../../../common/context/request-context';
import { FieldCrypto } from '../../../infrastructure/crypto/field-crypto';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { BankError } from '../bank.errors';
import { accountAad as aad, BANK_RECORD_TYPES } from '../bank.records';
import { BankAccountsRepository, type BankAccountChange } from './accounts.repository';
import type { BankAccountDoc } from './accounts.schema';
import { notFound } from '../../../common/errors/domain-error';

export interface BankAccountInput {
  name: string;
  bank?: string;
  clearingNumber: string;
  accountNumber: string;
  currency?: string;
  ledgerAccount?: string;
}

export interface BankAccountListView {
  id: string;
  name: string;
  bank: string;
  /** `8327-9 ••••6789`: the clearing number and the last four digits only. */
  maskedNumber: string;
  currency: string;
  ledgerAccount: string;
  createdAt: Date;
}

export interface BankAccountView extends BankAccountListView {
  clearingNumber: string;
  /** Full for members and up; `•••• 7890` for viewers (`numbersMasked`). */
  accountNumber: string;
  numbersMasked: boolean;
}

const digits = (s: string) => s.replace(/[\s.-]/g, '');

/** Swedish clearing numbers: 4 digits, Swedbank's 5 (`8327-9`). Account numbers: up to 15 digits. */
export function normalizeAccountNumbers(
  clearing: string,
  account: string,
): { clearingNumber: string; accountNumber: string } {
  const c = digits(clearing);
  const a = digits(account);
  if (!/^\d{4,5}$/.test(c) || !/^\d{1,15}$/.test(a)) throw new BankError('INVALID_ACCOUNT_NUMBER');
  return { clearingNumber: c.length === 5 ? `${c.slice(0, 4)}-${c[4]}` : c, accountNumber: a };
}

export const maskNumber = (clearing: string, account: string): string =>
  `${clearing} ••••${account.slice(-4)}`;

/** An account number as a viewer sees it: the last four digits only. */
export const maskAccountNumber = (account: string): string => `•••• ${account.slice(-4)}`;

/** Bank accounts; clearing and account numbers are encrypted at rest (FieldCrypto, bound to record and field). */
@Injectable()
export class BankAccountsService {
  constructor(
    private readonly accounts: BankAccountsRepository,
    private readonly crypto: FieldCrypto,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly trash: TrashService,
  ) {}

  private numbers(doc: BankAccountDoc): { clearingNumber: string; accountNumber: string } {
    return {
      clearingNumber: this.crypto.decrypt(doc.clearingNumberEnc, aad(doc._id, 'clearingNumber')),
      accountNumber: this.crypto.decrypt(doc.accountNumberEnc, aad(doc._id, 'accountNumber')),
    };
  }

  private listView(doc: BankAccountDoc): BankAccountListView {
    const n = this.numbers(doc);
    return {
      id: doc._id,
      name: doc.name,
      bank: doc.bank,
      maskedNumber: maskNumber(n.clearingNumber, n.accountNumber),
      currency: doc.currency,
      ledgerAccount: doc.ledgerAccount,
      createdAt: doc.createdAt,
    };
  }

  /**
   * The full numbers for those who may change the account (members and up); a viewer gets the clearing number and
   * the account number masked to its last four digits (`•••• 7890`).
   */
  private view(doc: BankAccountDoc): BankAccountView {
    const numbers = this.numbers(doc);
    const role = this.context.requireTenant().orgRole;
    const full = ORG_ROLE_RANK[role] >= ORG_ROLE_RANK.member;
    return {
      ...this.listView(doc),
      clearingNumber: numbers.clearingNumber,
      accountNumber: full ? numbers.accountNumber : maskAccountNumber(numbers.accountNumber),
      numbersMasked: !full,
    };
  }

  async create(input: BankAccountInput): Promise<BankAccountView> {
    const actor = this.context.requireActor();
    const numbers = normalizeAccountNumbers(input.clearingNumber, input.accountNumber);
    const id = await this.ids.getNextGlobalId();
    const doc = await this.accounts.create({
      _id: id,
      name: input.name,
      bank: input.bank ?? '',
      clearingNumberEnc: this.crypto.encrypt(numbers.clearingNumber, aad(id, 'clearingNumber')),
      accountNumberEnc: this.crypto.encrypt(numbers.accountNumber, aad(id, 'accountNumber')),
      currency: input.currency ?? 'SEK',
      ledgerAccount: input.ledgerAccount ?? '1930',
      createdBy: actor.userId,
    });
    await this.audit.record({
      action: AuditAction.BankAccountCreated,
      targetType: 'bank_account',
      targetId: id,
      changes: {
        before: {},
        after: {
          name: doc.name,
          bank: doc.bank,
          currency: doc.currency,
          ledgerAccount: doc.ledgerAccount,
          maskedNumber: maskNumber(numbers.clearingNumber, numbers.accountNumber),
        },
      },
    });
    return this.view(doc);
  }

  async list(page: PageRequest): Promise<Page<BankAccountListView>> {
    const result = await this.accounts.page({}, page);
    return { items: result.items.map((d) => this.listView(d)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<BankAccountView> {
    const doc = await this.accounts.findById(id);
    if (!doc) throw notFound('bank_account');
    return this.view(doc);
  }

  async update(id: string, patch: Partial<BankAccountInput>): Promise<BankAccountView> {
    const current = await this.accounts.findById(id);
    if (!current) throw notFound('bank_account');
    const change: BankAccountChange = {
      name: patch.name,
      bank: patch.bank,
      currency: patch.currency,
      ledgerAccount: patch.ledgerAccount,
    };
    if (patch.clearingNumber !== undefined || patch.accountNumber !== undefined) {
      const old = this.numbers(current);
      const numbers = normalizeAccountNumbers(
        patch.clearingNumber ?? old.clearingNumber,
        patch.accountNumber ?? old.accountNumber,
      );
      change.numbers = {
        clearingNumberEnc: this.crypto.encrypt(numbers.clearingNumber, aad(id, 'clearingNumber')),
        accountNumberEnc: this.crypto.encrypt(numbers.accountNumber, aad(id, 'accountNumber')),
      };
    }
    const result = await this.accounts.change(id, change);
    if (!result) throw notFound('bank_account');
    const before = this.listView(result.before);
    const after = this.listView(result.after);
    await this.audit.record({
      action: AuditAction.BankAccountUpdated,
      targetType: 'bank_account',
      targetId: id,
      changes: diffFields(before, after, ['name', 'bank', 'currency', 'ledgerAccount', 'maskedNumber']),
    });
    return this.view(result.after);
  }

  /** To the trash (answers the undo payload); its lines, imports and vouchers stay (bank.records.ts). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.accounts.findById(id);
    if (!current) throw notFound('bank_account');
    const undo = await this.trash.delete(BANK_RECORD_TYPES.account, id);
    await this.audit.record({
      action: AuditAction.BankAccountDeleted,
      targetType: 'bank_account',
      targetId: id,
      changes: { before: { name: current.name }, after: {} },
    });
    return undo;
  }
}
