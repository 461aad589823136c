import { writeFile } from 'node:fs/promises';
import { Tariff } from '@tollgate/core';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import {
  compileLoadedDocument,
  formatTariffIssue,
  loadTariff,
  readTariffDocument,
  type TariffSourceIssue,
} from '../tariffs/load-tariff.js';
import { ExitCode } from './exit-codes.js';
import { type TariffFlags, tariffSource, withTariffOptions } from './tariff-options.js';

export function registerTariffCommands(program: Command): void {
  const tariff = program.command('tariff').description('check and convert tariffs');

  tariff
    .command('schema')
    .description('print the JSON Schema of native tariff files')
    .action(() => {
      process.stdout.write(tariffJsonSchema());
    });

  withTariffOptions(tariff.command('validate'))
    .description('check a tariff completely; prints every problem with its file, line and field')
    .action(async (flags: TariffFlags) => {
      const loaded = await loadTariff(tariffSource(flags));
      if (!loaded.ok) return reportInvalid(loaded.errors);
      printWarnings(loaded.warnings);
      const { document } = loaded;
      const prefixes = document.destinations.reduce((sum, d) => sum + d.prefixes.length, 0);
      console.log(
        `valid: tariff ${document.id} (${document.currency}, ${document.timeZone}): ${document.destinations.length} destinations, ` +
          `${prefixes} prefixes, ${document.rates.length} rates, ${document.ratingPlans.length} rating plans, ` +
          `${document.ratingProfiles.length} rating profiles`,
      );
    });

  withTariffOptions(tariff.command('import'))
    .description('convert a tariff (e.g. a CGRateS folder) to the native format, after validating it')
    .option(
      '--out <file>',
      'write the native tariff here (YAML, or JSON when the name ends in .json); default stdout',
    )
    .action(async (flags: TariffFlags & { out?: string }) => {
      const source = tariffSource(flags);
      const read = await readTariffDocument(source);
      if (!read.ok) return reportInvalid(read.errors);
      const loaded = compileLoadedDocument(read.document, read.warnings, source.path);
      if (!loaded.ok) return reportInvalid(loaded.errors);
      printWarnings(read.warnings);
      const text = flags.out?.endsWith('.json')
        ? `${JSON.stringify(read.document, null, 2)}\n`
        : stringify(read.document);
      if (flags.out === undefined) process.stdout.write(text);
      else {
        await writeFile(flags.out, text);
        console.error(`wrote ${flags.out}`);
      }
    });
}

/** The published JSON Schema of native tariff files (docs/schema/tariff.schema.json is this text). */
export function tariffJsonSchema(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...Tariff }, null, 2)}\n`;
}

export function reportInvalid(errors: readonly TariffSourceIssue[]): void {
  console.error(`invalid tariff: ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
  for (const error of errors) console.error(`  ${formatTariffIssue(error)}`);
  process.exitCode = ExitCode.invalidTariff;
}

export function printWarnings(warnings: readonly TariffSourceIssue[]): void {
  for (const warning of warnings) console.error(`warning: ${formatTariffIssue(warning)}`);
}
