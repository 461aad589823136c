#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerDemoCommand } from './demo-command.js';
import { ExitCode } from './exit-codes.js';
import { registerRateCommand } from './rate-command.js';
import { registerTariffCommands } from './tariff-commands.js';

export function buildProgram(): Command {
  const program = new Command('tollgate')
    .description('Tollgate: telecom rating, charging and billing')
    .showHelpAfterError()
    .exitOverride(); // subcommands inherit it: usage errors become exit code 2 below
  registerTariffCommands(program);
  registerRateCommand(program);
  registerDemoCommand(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = ExitCode.failure;
  }
}
