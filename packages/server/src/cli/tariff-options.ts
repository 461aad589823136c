import { type Command, Option } from 'commander';
import type { TariffSource } from '../tariffs/load-tariff.js';

export interface TariffFlags {
  readonly tariffDir: string;
  readonly tariffFormat: 'native' | 'cgrates';
  readonly currency: string;
  readonly timeZone: string;
  readonly tariffId?: string;
}

/** The flags every command that reads a tariff shares. */
export function withTariffOptions(command: Command): Command {
  return command
    .requiredOption(
      '--tariff-dir <path>',
      'tariff folder (CGRateS CSV files, or native tariff.yaml) or a native tariff file',
    )
    .addOption(
      new Option('--tariff-format <format>', 'tariff format')
        .choices(['native', 'cgrates'])
        .default('native'),
    )
    .option('--currency <code>', 'ISO 4217 currency of a CGRateS tariff (which names none)', 'EUR')
    .option('--time-zone <zone>', 'IANA time zone for the time bands of a CGRateS tariff', 'UTC')
    .option('--tariff-id <id>', 'id given to an imported CGRateS tariff');
}

export function tariffSource(flags: TariffFlags): TariffSource {
  return {
    path: flags.tariffDir,
    format: flags.tariffFormat,
    currency: flags.currency,
    timeZone: flags.timeZone,
    ...(flags.tariffId === undefined ? {} : { tariffId: flags.tariffId }),
  };
}
