import { createReadStream } from 'node:fs';
import { explainRating, formatScaled, type RatingExplanation, rateUsage } from '@tollgate/core';
import type { Command } from 'commander';
import { parseRatingRequest } from '../rating/parse-rating-request.js';
import { rateRequestLines } from '../rating/rate-request-lines.js';
import { loadTariff } from '../tariffs/load-tariff.js';
import { ExitCode } from './exit-codes.js';
import { fileProgress } from './progress-bar.js';
import { printWarnings, reportInvalid } from './tariff-commands.js';
import { type TariffFlags, tariffSource, withTariffOptions } from './tariff-options.js';

interface RateFlags extends TariffFlags {
  readonly requests?: string;
  readonly explain?: boolean;
  readonly json?: boolean;
  readonly tenant?: string;
  readonly category?: string;
  readonly subject?: string;
  readonly destination?: string;
  readonly answerTime?: string;
  readonly usage?: string;
}

export function registerRateCommand(program: Command): void {
  withTariffOptions(program.command('rate'))
    .description('price usage: one request from flags, or a JSON Lines file of requests with --requests')
    .option(
      '--requests <file>',
      'JSON Lines of {"id","tenant","category","subject","destination","answerTime","usage"}; - for stdin',
    )
    .option('--explain', 'add the explanation of each cost to the batch output')
    .option('--json', 'print the single result as JSON')
    .option('--tenant <tenant>', 'tenant (the default for batch lines without one)')
    .option('--category <category>', 'service category, e.g. call, sms, data')
    .option('--subject <subject>', 'who is charged: account or number')
    .option('--destination <destination>', 'destination number or name')
    .option('--answer-time <instant>', 'usage start, ISO 8601, e.g. 2026-03-09T09:00:00Z')
    .option('--usage <usage>', 'duration ("2m10s", "PT45S"), volume ("1.5MB") or count ("1")')
    .action(async (flags: RateFlags) => {
      const loaded = await loadTariff(tariffSource(flags));
      if (!loaded.ok) return reportInvalid(loaded.errors);
      printWarnings(loaded.warnings);
      if (flags.requests !== undefined) {
        const input = flags.requests === '-' ? process.stdin : createReadStream(flags.requests);
        const progress = await fileProgress(input, flags.requests);
        const summary = await rateRequestLines(input, process.stdout, {
          tariff: loaded.tariff,
          explain: flags.explain === true,
          onProgress: (lines) => progress.update(lines),
          ...(flags.tenant === undefined ? {} : { defaultTenant: flags.tenant }),
        });
        progress.stop();
        console.error(`rated ${summary.rated}, not rated ${summary.failed}`);
        if (summary.failed > 0) process.exitCode = ExitCode.someNotRated;
        return;
      }
      const request = parseRatingRequest({
        tenant: flags.tenant,
        category: flags.category,
        subject: flags.subject,
        destination: flags.destination,
        answerTime: flags.answerTime,
        usage: flags.usage,
      });
      if (!request.ok) {
        console.error(
          `${request.error.code}: ${request.error.message.replace(/field "(\w+)"/, (_, f: string) => `--${kebab(f)}`)}`,
        );
        process.exitCode = ExitCode.usage;
        return;
      }
      const charge = rateUsage(loaded.tariff, request.value);
      if (!charge.ok) {
        console.log(
          flags.json
            ? JSON.stringify({ error: charge.error })
            : `${charge.error.code}: ${charge.error.message}`,
        );
        process.exitCode = ExitCode.someNotRated;
        return;
      }
      const explanation = explainRating(charge.value);
      const cost = formatScaled(charge.value.cost.amountMicros, 6);
      console.log(
        flags.json
          ? JSON.stringify({ cost, currency: explanation.currency, explanation }, null, 2)
          : describeCharge(explanation),
      );
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A person's reading of a charge: what was matched, each span, and the rounding. */
export function describeCharge(e: RatingExplanation): string {
  const unit = e.unit === 'seconds' ? 's' : ` ${e.unit}`;
  const lines = [
    `cost: ${e.cost} ${e.currency}`,
    `  ${e.category} by ${e.subject}${e.ratedSubject === e.subject ? '' : ` (priced as ${e.ratedSubject})`} to ${e.destination.number || '(none)'}, usage ${e.usage}${unit}`,
    `  profile: plan ${e.profile.ratingPlan}, active since ${e.profile.activationTime}`,
    `  destination: ${e.destination.destinationId} (prefix ${e.destination.matchedPrefix})`,
  ];
  if (e.connectFee !== '0') lines.push(`  connect fee: ${e.connectFee}`);
  for (const s of e.spans) {
    lines.push(
      `  ${s.timeBand}, rate ${s.rate} group ${s.group}: from ${s.startOffset}${unit}, ${s.used}${unit} used, ` +
        `${s.increments} × ${s.increment}${unit} = ${s.billed}${unit} billed at ${s.price} per ${s.per}${unit} = ${s.cost}`,
    );
  }
  if (e.minimumChargeApplied) lines.push(`  minimum charge applied: ${e.minimumCharge}`);
  if (e.maxCost !== null)
    lines.push(
      `  max cost ${e.maxCost.amount} (${e.maxCost.strategy}): ${e.maxCost.reached ? 'reached' : 'not reached'}`,
    );
  lines.push(
    `  exact cost ${e.exactCost}, rounded ${e.rounding.method} to ${e.rounding.decimals} decimals: ${e.cost}`,
  );
  return lines.join('\n');
}
