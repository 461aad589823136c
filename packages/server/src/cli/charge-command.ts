import { randomUUID } from 'node:crypto';
import { formatMoneyDecimal } from '@tollgate/core';
import type { Command } from 'commander';
import { ChargingEngine } from '../charging/charging-engine.js';
import type { CreditControl, CreditControlAnswer, SubscriberIdentity } from '../charging/credit-control.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

interface ChargeFlags {
  tenant?: string;
  subscriber: string;
  kind: SubscriberIdentity['kind'];
  destination: string;
  ratingGroup: string;
  request: string;
  update: string[];
  terminate: string;
  event?: boolean;
  json?: boolean;
}

/**
 * `tollgate charge`: runs one credit-control session (or event) by hand against the configured
 * database, through the same engine the JSON API and the Diameter server use, and prints each
 * answer. For trying a tariff and a balance before the network is connected.
 */
export function registerChargeCommand(program: Command): void {
  program
    .command('charge')
    .description('try an online charging session (initiate, updates, terminate) or an event by hand')
    .requiredOption('--subscriber <identity>', 'the line, e.g. +4917698765432')
    .option('--kind <kind>', 'msisdn | imsi | sip_uri | username', 'msisdn')
    .option('--tenant <slug>', 'the tenant (default: the only operator)')
    .option('--destination <number>', 'the number called or messaged', '+4930123456')
    .option('--rating-group <n>', '1 voice (seconds), 2 SMS (messages), 3 data (bytes)', '1')
    .option('--request <units>', 'units to reserve at the start and after each update', '60')
    .option('--update <used>', 'an update reporting this many used units (repeatable)', collect, [])
    .option('--terminate <used>', 'units used since the last report, at termination', '0')
    .option('--event', 'charge one event of --request units instead of a session')
    .option('--json', 'print each answer as a JSON line')
    .action((flags: ChargeFlags) =>
      withDatabase(async (db) => {
        const tenant = await findCliTenant(db, flags.tenant);
        if (typeof tenant === 'string') {
          console.error(tenant);
          return ExitCode.usage;
        }
        const engine = new ChargingEngine({ db, now: () => new Date() });
        const answers = await runSession(engine, tenant.id, flags, (answer) =>
          print(answer, flags.json === true),
        );
        const refused = answers.some((a) => !a.ok || a.services.some((s) => s.resultCode !== 'success'));
        return refused ? ExitCode.refused : ExitCode.ok;
      }),
    );
}

async function runSession(
  control: CreditControl,
  tenantId: string,
  flags: ChargeFlags,
  show: (answer: CreditControlAnswer) => void,
): Promise<CreditControlAnswer[]> {
  const sessionId = `cli-${randomUUID()}`;
  const ratingGroup = Number(flags.ratingGroup);
  const requested = BigInt(flags.request);
  const subscriber = { kind: flags.kind, value: flags.subscriber };
  const service = (units: { requestedUnits?: bigint; usedUnits?: bigint }) => [
    { ratingGroup, destination: flags.destination, ...units },
  ];
  const answers: CreditControlAnswer[] = [];
  const step = async (answer: Promise<CreditControlAnswer>) => {
    const settled = await answer;
    answers.push(settled);
    show(settled);
    return settled;
  };
  if (flags.event === true) {
    await step(
      control.event({
        tenantId,
        sessionId,
        requestNumber: 0,
        subscriber,
        services: service({ requestedUnits: requested }),
      }),
    );
    return answers;
  }
  const started = await step(
    control.initiate({
      tenantId,
      sessionId,
      requestNumber: 0,
      subscriber,
      services: service({ requestedUnits: requested }),
    }),
  );
  if (!started.ok || started.services.every((s) => s.resultCode !== 'success')) return answers;
  let requestNumber = 0;
  for (const used of flags.update) {
    requestNumber += 1;
    const answer = await step(
      control.update({
        tenantId,
        sessionId,
        requestNumber,
        services: service({ usedUnits: BigInt(used), requestedUnits: requested }),
      }),
    );
    if (!answer.ok) return answers;
  }
  await step(
    control.terminate({
      tenantId,
      sessionId,
      requestNumber: requestNumber + 1,
      services: service({ usedUnits: BigInt(flags.terminate) }),
    }),
  );
  return answers;
}

function print(answer: CreditControlAnswer, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(answer, (_key, value) => (typeof value === 'bigint' ? String(value) : value)));
    return;
  }
  if (!answer.ok) {
    console.log(`request ${answer.requestNumber}: refused (${answer.code}): ${answer.message}`);
    return;
  }
  for (const s of answer.services) {
    const charged = formatMoneyDecimal({ amountMicros: s.chargedMicros, currency: answer.currency });
    const grant =
      s.grantedUnits > 0n
        ? `granted ${s.grantedUnits} ${s.unit}${s.finalUnit ? ' (final)' : ''}`
        : 'granted nothing';
    const reason = s.resultCode === 'success' ? '' : ` — ${s.resultCode}: ${s.message ?? ''}`;
    console.log(
      `request ${answer.requestNumber}, rating group ${s.ratingGroup}: charged ${charged} ${answer.currency}, ${grant}${reason}`,
    );
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
