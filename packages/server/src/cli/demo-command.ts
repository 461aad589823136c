import { explainRating, rateUsage } from '@tollgate/core';
import type { Command } from 'commander';
import { parseRatingRequest } from '../rating/parse-rating-request.js';
import { DEMO_TARIFF_PATH } from '../seed/demo-tariff-path.js';
import { loadTariff } from '../tariffs/load-tariff.js';
import { describeCharge } from './rate-command.js';
import { reportInvalid } from './tariff-commands.js';

const DEMO_USAGE = [
  {
    subject: '+4930111',
    category: 'call',
    destination: '+4930555123',
    answerTime: '2026-03-09T09:15:00+01:00',
    usage: '2m10s',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: '+4930555123',
    answerTime: '2026-03-09T18:59:30+01:00',
    usage: '3m',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: '+4915112345678',
    answerTime: '2026-03-09T12:00:00+01:00',
    usage: '20s',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: '+4930555123',
    answerTime: '2026-03-14T11:00:00+01:00',
    usage: '45s',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: '+12125550100',
    answerTime: '2026-03-09T22:00:00+01:00',
    usage: '61s',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: 'voicemail',
    answerTime: '2026-03-09T10:00:00+01:00',
    usage: '1m',
  },
  {
    subject: '+4930111',
    category: 'sms',
    destination: '+4915112345678',
    answerTime: '2026-03-09T10:00:00+01:00',
    usage: '1',
  },
  {
    subject: '+4930111',
    category: 'data',
    destination: 'internet',
    answerTime: '2026-03-09T10:00:00+01:00',
    usage: '1.5MB',
  },
  {
    subject: '+4930111',
    category: 'call',
    destination: '+999123',
    answerTime: '2026-03-09T10:00:00+01:00',
    usage: '1m',
  },
];

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('rate a few sample calls, messages and data sessions with the bundled demo tariff')
    .action(async () => {
      const loaded = await loadTariff({
        path: DEMO_TARIFF_PATH,
        format: 'native',
        currency: 'EUR',
        timeZone: 'UTC',
      });
      if (!loaded.ok) return reportInvalid(loaded.errors);
      console.log(
        `Tollgate rating demo: tariff "${loaded.document.name ?? loaded.document.id}" from ${DEMO_TARIFF_PATH}\n`,
      );
      for (const usage of DEMO_USAGE) {
        const request = parseRatingRequest({ tenant: 'demo', ...usage });
        if (!request.ok) throw new Error(`demo request is invalid: ${request.error.message}`);
        const charge = rateUsage(loaded.tariff, request.value);
        console.log(
          charge.ok
            ? describeCharge(explainRating(charge.value))
            : `not rated: ${charge.error.code}: ${charge.error.message}`,
        );
        console.log('');
      }
      console.log(
        'Next: `npx tollgate rate --help`, `npx tollgate tariff validate --help`; README.md and docs/rating.md explain the rules.',
      );
    });
}
