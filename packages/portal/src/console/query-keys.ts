/**
 * The console's query keys in one place, so a mutation refreshes exactly what it made stale: a key
 * given without its last parts (the page cursor, the filters) invalidates every page of it.
 */
export const keys = {
  customer: (customerId: string) => ['customer', customerId] as const,
  accountsOf: (customerId: string) => ['accounts', 'of-customer', customerId] as const,
  account: (accountId: string) => ['account', accountId] as const,
  balance: (accountId: string) => ['balance', accountId] as const,
  ledger: (accountId: string) => ['ledger', accountId] as const,
  lines: (accountId: string) => ['subscriptions', accountId] as const,
  usage: (accountId: string) => ['rated-usage', accountId] as const,
  invoices: (accountId: string) => ['invoices', accountId] as const,
  invoice: (invoiceId: string) => ['invoice', invoiceId] as const,
  payments: (accountId: string) => ['payments', accountId] as const,
  receivable: (accountId: string) => ['receivable', accountId] as const,
  dunningCases: (accountId: string) => ['dunning-cases', accountId] as const,
  notes: (customerId: string) => ['notes', customerId] as const,
  audit: (customerId: string) => ['audit', customerId] as const,
  plans: ['plans'] as const,
  plan: (planId: string) => ['plans', 'one', planId] as const,
  tariffs: ['tariffs'] as const,
  tariff: (tariffId: string) => ['tariffs', 'one', tariffId] as const,
  tariffVersion: (tariffId: string, version: number) => ['tariffs', 'version', tariffId, version] as const,
  suspended: ['suspended-records'] as const,
  suspendedRecord: (id: string) => ['suspended-records', 'one', id] as const,
  usageSources: ['usage-sources'] as const,
  billRun: (runId: string) => ['bill-runs', runId] as const,
  billRunAccounts: (runId: string) => ['bill-runs', runId, 'accounts'] as const,
  dunningPolicies: ['dunning-policies'] as const,
  aging: ['aging'] as const,
  apiKeys: ['api-keys'] as const,
  users: ['users'] as const,
};
