/**
 * What the contracts module offers other modules (no classes): `ContractPaymentsService` (exported by
 * ContractsModule) implements it. The bank module binds a token to it in its ports file
 * (`src/modules/bank/contracts.ports.ts`) and depends on this interface elsewhere. All calls act in the
 * organization of the current request/job context. Amounts are integer minor units (öre), dates `YYYY-MM-DD`.
 */

/** One scheduled payment day of a contract, with what is recorded for it. */
export interface ContractPaymentDay {
  date: string;
  /** What the contract's price says for that day. */
  scheduledAmount: number;
  /** A live recorded payment exists for the day. */
  recorded: boolean;
  transactionId: string | null;
  billId: string | null;
}

/** A contract with a provider, and its scheduled payment days in the range asked for. */
export interface ContractWithPaymentDays {
  id: string;
  name: string;
  providerId: string;
  currency: string;
  /** The price is an estimate (electricity, water): each payment costs a different amount. */
  variableAmount: boolean;
  payments: ContractPaymentDay[];
}

/** Implemented by ContractPaymentsService. */
export interface ContractPaymentsForBank {
  /**
   * The contracts (not deleted) whose provider is one of `providerIds`, each with its scheduled payment days from
   * `from` to `to` (both included; none after the contract's end). Contracts without a payment day there are left out.
   */
  paymentDaysOfProviders(providerIds: string[], from: string, to: string): Promise<ContractWithPaymentDays[]>;
  /**
   * One contract's scheduled payment day; null when the contract has no payment that day. A missing or foreign
   * contract throws the common `notFound('contract')`.
   */
  paymentDay(contractId: string, date: string): Promise<ContractPaymentDay | null>;
  /**
   * Records that `transactionId` paid the scheduled day `date` (amount: the transaction's; an existing note is
   * kept). Idempotent: the same transaction again changes nothing. Throws `notFound('contract')` /
   * `notFound('contract_payment')` for a missing contract or day, and `ContractsError` `CONTRACT_PAYMENT_LINKED`
   * when another transaction or bill already paid that day.
   */
  recordBankPayment(contractId: string, date: string, input: { transactionId: string }): Promise<void>;
  /**
   * Undo of a bank booking: the recorded payment of `date` goes to the trash if it is still linked to
   * `transactionId`; otherwise (gone, changed by a person since) nothing happens. Idempotent.
   */
  removeBankPayment(contractId: string, date: string, transactionId: string): Promise<void>;
}

/** One contract in a report: what it costs normalized per month and year, and what its days in the period cost. */
export interface ContractCostForReport {
  id: string;
  name: string;
  kind: string;
  /** On the report's `today`: `active`, `ending`, `cancelled` or `ended`. */
  status: string;
  currency: string;
  monthly: number;
  yearly: number;
  /** The payment days from `from` to `to`: recorded amounts where recorded, else the scheduled price. */
  inPeriod: number;
}

/** Implemented by ContractStatsService. Only contracts in SEK (the statistics' currency) are summed. */
export interface ContractCostsForReports {
  /**
   * The contracts running at some time from `from` to `to`, and the scheduled payments from today to the end of the
   * `upcomingMonths`-th month (oldest first).
   */
  reportCosts(
    from: string,
    to: string,
    upcomingMonths: number,
  ): Promise<{
    contracts: ContractCostForReport[];
    upcoming: { date: string; contractId: string; name: string; amount: number }[];
  }>;
}

/** A contract as the AI forecast and anomaly detection read it: terms, price history and payment days. */
export interface ContractForInsights {
  id: string;
  name: string;
  providerId: string | null;
  categoryId: string | null;
  currency: string;
  startDate: string;
  endDate: string | null;
  variableAmount: boolean;
  /** Price history: the amount per payment from `from` on, sorted. */
  prices: { from: string; amount: number }[];
  /** Scheduled payment days from `from` to `to` (none after the end): recorded amounts where recorded. */
  payments: { date: string; amount: number }[];
}

/** Implemented by ContractStatsService. */
export interface ContractsForInsights {
  /** The contracts (not deleted) running at some time from `from` on, with their payment days up to `to`. */
  contractsForInsights(from: string, to: string): Promise<ContractForInsights[]>;
}
