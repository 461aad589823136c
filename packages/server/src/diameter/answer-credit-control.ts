import type { CreditControl, CreditControlAnswer, CreditControlRequest } from '../charging/credit-control.js';
import { answerTo, errorAnswerTo } from './answer-message.js';
import { creditControlAnswerBody } from './credit-control-answer.js';
import type { DiameterLogger } from './diameter-logger.js';
import type { DiameterMessage } from './diameter-message.js';
import type { LocalIdentity } from './local-identity.js';
import {
  type ParsedCreditControlRequest,
  parseCreditControlRequest,
} from './parse-credit-control-request.js';

export interface CreditControlContext {
  readonly identity: LocalIdentity;
  readonly tenantId: string;
  readonly creditControl: CreditControl;
  readonly logger: DiameterLogger;
}

/** Answers a CCR (RFC 4006 3.1, 3.2) by calling the charging use case its CC-Request-Type names. */
export async function answerCreditControl(
  request: DiameterMessage,
  context: CreditControlContext,
): Promise<DiameterMessage> {
  const parsed = parseCreditControlRequest(request.avps);
  if (!parsed.ok) return errorAnswerTo(request, request.avps, context.identity, parsed);
  const answer = await charge(parsed.request, context);
  const body = creditControlAnswerBody(parsed.request, answer);
  return answerTo(request, request.avps, context.identity, { ...body, sessionId: parsed.request.sessionId });
}

/**
 * A use case that throws has failed for a reason we cannot name (a bug, a lost database): the
 * peer gets DIAMETER_TOO_BUSY, as for `charging_unavailable`, so that its Credit-Control-Failure-
 * Handling (RFC 4006 5.7) can retry on another Tollgate node; nothing is known to be charged.
 */
async function charge(
  request: ParsedCreditControlRequest,
  context: CreditControlContext,
): Promise<CreditControlAnswer> {
  const call: CreditControlRequest = {
    tenantId: context.tenantId,
    sessionId: request.sessionId,
    requestNumber: request.requestNumber,
    subscriber: request.subscriber,
    services: request.services,
  };
  try {
    return await context.creditControl[request.operation](call);
  } catch (error) {
    context.logger.error({ err: error, sessionId: request.sessionId }, 'credit control failed');
    const message = 'charging failed; retry';
    return {
      ok: false,
      sessionId: request.sessionId,
      requestNumber: request.requestNumber,
      code: 'charging_unavailable',
      message,
    };
  }
}
