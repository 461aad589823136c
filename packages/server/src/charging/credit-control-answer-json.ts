import type { CreditControlAnswer, ServiceUsageAnswer } from './credit-control.js';

/** An answer as stored for retries: jsonb has no bigint, so unit and money counts are strings. */
export function answerToJson(answer: CreditControlAnswer): string {
  if (!answer.ok) return JSON.stringify(answer);
  return JSON.stringify({
    ...answer,
    services: answer.services.map((s) => ({
      ...s,
      grantedUnits: String(s.grantedUnits),
      chargedMicros: String(s.chargedMicros),
    })),
  });
}

export function answerFromJson(stored: unknown): CreditControlAnswer {
  const parsed = (typeof stored === 'string' ? JSON.parse(stored) : stored) as CreditControlAnswer;
  if (!parsed.ok) return parsed;
  return {
    ...parsed,
    services: parsed.services.map(
      (s): ServiceUsageAnswer => ({
        ...s,
        grantedUnits: BigInt(s.grantedUnits as unknown as string),
        chargedMicros: BigInt(s.chargedMicros as unknown as string),
      }),
    ),
  };
}
