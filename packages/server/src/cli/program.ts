import { Command } from 'commander';

import { registerApiKeyCommands } from './api-key-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerBalanceCommands } from './balance-commands.js';
import { registerBillingCommands } from './billing-commands.js';
import { registerCatalogCommands } from './catalog-commands.js';
import { registerChargeCommand } from './charge-command.js';
import { registerDbCommands } from './db-commands.js';
import { registerDemoCommand } from './demo-command.js';
import { registerFraudCommands } from './fraud-commands.js';
import { registerLedgerCommands } from './ledger-commands.js';
import { registerNotificationCommands } from './notification-commands.js';
import { registerPaymentCommands } from './payment-commands.js';
import { registerRateCommand } from './rate-command.js';
import { registerReceivablesCommands } from './receivables-commands.js';
import { registerRecommendationCommands } from './recommendation-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerStatementCommands } from './statement-commands.js';
import { registerTariffCommands } from './tariff-commands.js';
import { registerUsageCommands } from './usage-commands.js';
import { registerVoucherCommands } from './voucher-commands.js';
import { registerWebhookCommands } from './webhook-commands.js';

export function buildProgram(): Command {
  const program = new Command('tollgate')
    .description('Tollgate: telecom rating, charging and billing')
    .showHelpAfterError()
    .exitOverride(); // subcommands inherit it: usage errors become exit code 2 below
  registerTariffCommands(program);
  registerCatalogCommands(program);
  registerRateCommand(program);
  registerDemoCommand(program);
  registerServeCommand(program);
  registerDbCommands(program);
  registerApiKeyCommands(program);
  registerAuditCommands(program);
  registerBalanceCommands(program);
  registerVoucherCommands(program);
  registerLedgerCommands(program);
  registerChargeCommand(program);
  registerUsageCommands(program);
  registerPaymentCommands(program);
  registerBillingCommands(program);
  registerStatementCommands(program);
  registerReceivablesCommands(program);
  registerReportCommands(program);
  registerWebhookCommands(program);
  registerNotificationCommands(program);
  registerFraudCommands(program);
  registerRecommendationCommands(program);
  return program;
}
