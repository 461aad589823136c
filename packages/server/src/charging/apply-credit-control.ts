import { randomUUID } from 'node:crypto';
import {
  type AllowanceUnit,
  type BucketHold,
  type CompiledTariff,
  capRemainingMicros,
  debitEntries,
  type GrantRequest,
  planGrant,
  settleUsage,
  type UsageScope,
} from '@tollgate/core';
import type { ChargingSettings } from './charging-settings.js';
import { ChargingWorkspace, type WorkspaceCap, type WorkspaceSession } from './charging-workspace.js';
import type {
  CreditControlAnswer,
  CreditControlErrorCode,
  CreditControlRequest,
  ServiceUsageAnswer,
  ServiceUsageRequest,
} from './credit-control.js';
import { DEFAULT_EMERGENCY_NUMBERS, isEmergencyNumber } from './emergency-numbers.js';
import type { ChargedLine } from './resolve-charged-line.js';
import { newServiceState, type ServiceState, type SessionRating } from './session-state.js';
import { usagePrice } from './usage-pricing.js';

export type CreditControlOperation = 'initiate' | 'update' | 'terminate' | 'event';

/** A request ready for its batch: initiates and events carry the line they name. */
export interface PreparedRequest {
  readonly operation: CreditControlOperation;
  readonly request: CreditControlRequest;
  readonly line?:
    | { readonly ok: true; readonly line: ChargedLine }
    | { readonly ok: false; readonly message: string };
}

export interface ApplyContext {
  readonly workspace: ChargingWorkspace;
  readonly settings: ChargingSettings;
  /** Tariff versions the batch needs, compiled before it began. */
  readonly tariffOf: (versionId: string) => CompiledTariff;
}

/**
 * Applies one credit-control request to the batch's rows (RFC 4006 section 5): an initiate
 * reserves, an update commits the used units and reserves more, a terminate commits and releases,
 * an event charges at once, all or nothing.
 */
export function applyCreditControl(ctx: ApplyContext, prepared: PreparedRequest): CreditControlAnswer {
  switch (prepared.operation) {
    case 'initiate':
    case 'event':
      return start(ctx, prepared);
    case 'update':
    case 'terminate':
      return continueSession(ctx, prepared);
  }
}

/** Returns the holds of every lapsed reservation of a session and marks it expired. */
export function expireLapsedSession(workspace: ChargingWorkspace, session: WorkspaceSession): boolean {
  const pending = workspace.pendingOf(session.id);
  const nowMs = workspace.now.getTime();
  // A grant may hold nothing (its units fall in an increment already paid for) and still lapse.
  const lapsed =
    pending.some((r) => r.expiresAt.getTime() <= nowMs) ||
    [...session.services.values()].some(
      (s) => s.grantedUnits > 0n && s.grantExpiresAtMs !== null && s.grantExpiresAtMs <= nowMs,
    );
  if (!lapsed) return false;
  // One lapsed grant expires the session: the network lost track of it (RFC 4006 section 5.1.2).
  for (const reservation of pending) {
    workspace.resolve(reservation, 'expired');
    releaseCapHold(workspace, session, reservation.bucketId, reservation.amount);
  }
  session.status = 'expired';
  session.endedAt = workspace.now;
  workspace.touchSession(session);
  return true;
}

function start(ctx: ApplyContext, prepared: PreparedRequest): CreditControlAnswer {
  const { request } = prepared;
  const { workspace } = ctx;
  if (workspace.sessions.has(ChargingWorkspace.sessionKey(request.tenantId, request.sessionId)))
    return refuse(request, 'invalid_request', `session ${request.sessionId} exists already`);
  if (prepared.line === undefined || !prepared.line.ok)
    return refuse(
      request,
      'unknown_subscriber',
      prepared.line?.ok === false ? prepared.line.message : 'no subscriber named',
    );
  const line = prepared.line.line;
  const isEvent = prepared.operation === 'event';
  const rating = sessionRating(line, workspace.now);
  const session: WorkspaceSession = {
    id: randomUUID(),
    tenantId: request.tenantId,
    accountId: line.accountId,
    subscriptionId: line.subscriptionId,
    sessionKey: request.sessionId,
    kind: isEvent ? 'event' : 'session',
    status: isEvent ? 'terminated' : 'open',
    rating: rating.ok ? rating.rating : { ...placeholderRating(line, workspace.now) },
    services: new Map(),
    lastRequestNumber: request.requestNumber,
    chargedMicros: 0n,
    unpaidMicros: 0n,
    startedAt: workspace.now,
    endedAt: isEvent ? workspace.now : null,
    isNew: true,
    discarded: false,
  };
  workspace.addSession(session);
  const answers = request.services.map((service): ServiceUsageAnswer => {
    const state = serviceStateFor(ctx, session, service);
    if (!('ratingGroup' in state)) return state.answer;
    const emergency = isEmergencyNumber(
      service.destination,
      ctx.settings.emergencyNumbers ?? DEFAULT_EMERGENCY_NUMBERS,
    );
    if (!line.active && !emergency)
      return refusal(state, 'service_denied', 'the line or its account is not active');
    if (line.barred && !emergency)
      return refusal(state, 'service_denied', 'the line is barred pending the review of a fraud case');
    if (!rating.ok) return refusal(state, 'rating_failed', rating.message);
    const units =
      service.requestedUnits ?? (isEvent ? service.usedUnits : undefined) ?? defaultUnits(ctx, state);
    return grant(ctx, session, state, units, isEvent);
  });
  if (isEvent) return finishEvent(ctx, session, request, answers);
  if (!answers.some((a) => a.resultCode === 'success')) session.discarded = true;
  return answered(request, session, answers);
}

function continueSession(ctx: ApplyContext, prepared: PreparedRequest): CreditControlAnswer {
  const { request } = prepared;
  const { workspace } = ctx;
  const session = workspace.sessions.get(ChargingWorkspace.sessionKey(request.tenantId, request.sessionId));
  if (session === undefined || session.discarded)
    return refuse(request, 'unknown_session', `no session ${request.sessionId}`);
  const lapsedMessage = `session ${request.sessionId} lapsed: its grant was not reported in time`;
  if (session.status === 'expired') return refuse(request, 'session_expired', lapsedMessage);
  if (session.status !== 'open')
    return refuse(request, 'invalid_request', `session ${request.sessionId} has ended`);
  if (expireLapsedSession(workspace, session)) return refuse(request, 'session_expired', lapsedMessage);
  if (request.requestNumber <= session.lastRequestNumber) {
    return refuse(
      request,
      'invalid_request',
      `request number ${request.requestNumber} follows ${session.lastRequestNumber} in session ${request.sessionId}`,
    );
  }
  const terminating = prepared.operation === 'terminate';
  const answers = request.services.map((service): ServiceUsageAnswer => {
    const state = serviceStateFor(ctx, session, service);
    if (!('ratingGroup' in state)) return state.answer;
    const settled = settle(ctx, session, state, service.usedUnits ?? 0n);
    if (terminating || settled.resultCode !== 'success') return settled;
    const next = grant(ctx, session, state, service.requestedUnits ?? defaultUnits(ctx, state), false);
    return { ...next, chargedMicros: settled.chargedMicros };
  });
  if (terminating) {
    for (const reservation of workspace.pendingOf(session.id)) {
      workspace.resolve(reservation, 'released');
      releaseCapHold(workspace, session, reservation.bucketId, reservation.amount);
    }
    for (const state of session.services.values()) {
      state.grantedUnits = 0n;
      state.grantExpiresAtMs = null;
    }
    session.status = 'terminated';
    session.endedAt = workspace.now;
  }
  session.lastRequestNumber = request.requestNumber;
  workspace.touchSession(session);
  return answered(request, session, answers);
}

/** An event is charged whole or not at all: any refused service undoes the others' holds. */
function finishEvent(
  ctx: ApplyContext,
  session: WorkspaceSession,
  request: CreditControlRequest,
  answers: ServiceUsageAnswer[],
): CreditControlAnswer {
  const { workspace } = ctx;
  const refused = answers.find((a) => a.resultCode !== 'success');
  if (refused !== undefined) {
    for (const reservation of workspace.pendingOf(session.id)) {
      workspace.resolve(reservation, 'released');
      releaseCapHold(workspace, session, reservation.bucketId, reservation.amount);
    }
    session.discarded = true;
    if (refused.resultCode === 'insufficient_balance')
      return refuse(
        request,
        'insufficient_balance',
        refused.message ?? 'the balance cannot pay for this event',
      );
    return answered(
      request,
      session,
      answers.map((a) => ({ ...a, grantedUnits: 0n })),
    );
  }
  const charged = answers.map((answer) => {
    const state = session.services.get(answer.ratingGroup)!;
    const settled = settle(ctx, session, state, answer.grantedUnits);
    return { ...answer, chargedMicros: settled.chargedMicros, finalUnit: false, validityTimeSeconds: 0 };
  });
  return answered(request, session, charged);
}

function serviceStateFor(
  ctx: ApplyContext,
  session: WorkspaceSession,
  service: ServiceUsageRequest,
): ServiceState | { answer: ServiceUsageAnswer } {
  const known = session.services.get(service.ratingGroup);
  if (known !== undefined) return known;
  const mapped = ctx.settings.ratingGroups.get(service.ratingGroup);
  if (mapped === undefined) {
    return {
      answer: {
        ratingGroup: service.ratingGroup,
        resultCode: 'service_denied',
        unit: 'units',
        grantedUnits: 0n,
        finalUnit: false,
        validityTimeSeconds: 0,
        chargedMicros: 0n,
        message: `rating group ${service.ratingGroup} is no service of ours`,
      },
    };
  }
  const state = newServiceState(service.ratingGroup, mapped.category, mapped.unit, service.destination ?? '');
  session.services.set(service.ratingGroup, state);
  return state;
}

function grant(
  ctx: ApplyContext,
  session: WorkspaceSession,
  state: ServiceState,
  requestedUnits: bigint,
  allOrNothing: boolean,
): ServiceUsageAnswer {
  const { workspace, settings } = ctx;
  if (requestedUnits <= 0n) {
    state.grantedUnits = 0n;
    state.grantExpiresAtMs = null;
    return success(ctx, state, 0n, 0n);
  }
  const cap = workspace.caps.get(session.subscriptionId);
  const request = {
    scope: scopeOf(session, state, workspace.now),
    requestedUnits,
    moneyUnitsBefore: state.moneyUnits,
    allOrNothing,
    capRemainingMicros: capLeftFor(ctx, cap, state),
    price: priceOf(ctx, session, state),
  };
  const outcome = planGrant(workspace.bucketsOf(session.accountId), request);
  if (!outcome.ok) {
    state.grantedUnits = 0n;
    state.grantExpiresAtMs = null;
    if (outcome.code === 'insufficient_balance' && refusedByCap(ctx, session, request))
      return refusal(state, outcome.code, `the line's spending cap for this ${cap!.period} is reached`);
    return refusal(state, outcome.code, outcome.message);
  }
  const expiresAt = new Date(workspace.now.getTime() + settings.validityTimeSeconds * 1000);
  for (const hold of [...outcome.grant.allowanceHolds, ...outcome.grant.moneyHolds])
    workspace.reserve(session, state.ratingGroup, hold.bucketId, hold.amount, expiresAt);
  if (cap !== undefined && outcome.grant.moneyMicros > 0n) {
    cap.reservedMicros += outcome.grant.moneyMicros;
    cap.dirty = true;
  }
  state.grantedUnits = outcome.grant.grantedUnits;
  state.grantExpiresAtMs = expiresAt.getTime();
  state.finalUnit = outcome.grant.finalUnit;
  return { ...success(ctx, state, outcome.grant.grantedUnits, 0n), finalUnit: outcome.grant.finalUnit };
}

/** Commits used units against the rating group's holds, releasing what they did not use. */
function settle(
  ctx: ApplyContext,
  session: WorkspaceSession,
  state: ServiceState,
  usedUnits: bigint,
): ServiceUsageAnswer {
  const { workspace } = ctx;
  const pending = workspace.pendingOf(session.id, state.ratingGroup);
  const allowanceHolds: BucketHold[] = [];
  const moneyHolds: BucketHold[] = [];
  for (const reservation of pending) {
    const isMoney = workspace.buckets.get(reservation.bucketId)?.unit === session.rating.currency;
    (isMoney ? moneyHolds : allowanceHolds).push({
      bucketId: reservation.bucketId,
      amount: reservation.amount,
    });
    workspace.resolve(reservation, 'released');
    releaseCapHold(workspace, session, reservation.bucketId, reservation.amount);
  }
  if (usedUnits <= 0n) return success(ctx, state, 0n, 0n);
  const cap = workspace.caps.get(session.subscriptionId);
  const outcome = settleUsage(workspace.bucketsOf(session.accountId), {
    scope: scopeOf(session, state, workspace.now),
    usedUnits,
    allowanceHolds,
    moneyHolds,
    moneyUnitsBefore: state.moneyUnits,
    capRemainingMicros: capLeftFor(ctx, cap, state),
    price: priceOf(ctx, session, state),
  });
  if (!outcome.ok) return refusal(state, 'rating_failed', outcome.message);
  const s = outcome.settlement;
  const taken = new Map<string, bigint>();
  for (const hold of [...s.allowanceTaken, ...s.moneyTaken]) taken.set(hold.bucketId, hold.amount);
  for (const reservation of pending) {
    const fromThis = taken.get(reservation.bucketId) ?? 0n;
    if (fromThis === 0n) continue;
    const committed = fromThis < reservation.amount ? fromThis : reservation.amount;
    reservation.status = 'committed';
    reservation.committedAmount = committed;
    taken.set(reservation.bucketId, fromThis - committed);
  }
  workspace.post({
    tenantId: session.tenantId,
    accountId: session.accountId,
    kind: 'charge',
    reference: session.sessionKey,
    description: `${state.category} rating group ${state.ratingGroup}: ${usedUnits} ${state.unit}`,
    entries: [
      ...debitEntries(s.allowanceTaken, state.unit, 'usage'),
      ...debitEntries(s.moneyTaken, session.rating.currency, 'usage'),
    ],
  });
  state.usedUnits += usedUnits;
  state.allowanceUnits += s.allowanceUnits;
  state.moneyUnits += s.moneyUnits;
  state.chargedMicros += s.chargedMicros;
  state.unpaidMicros += s.unpaidMicros;
  session.chargedMicros += s.chargedMicros;
  session.unpaidMicros += s.unpaidMicros;
  if (cap !== undefined && s.chargedMicros > 0n) {
    cap.spentMicros += s.chargedMicros;
    cap.dirty = true;
    if (cap.spentMicros >= cap.limitMicros) workspace.capsReached.add(session.subscriptionId);
  }
  return success(ctx, state, 0n, s.chargedMicros);
}

/**
 * What the line's cap leaves for this usage: null (no limit) when there is no cap, for an
 * emergency number (a cap limits what the customer spends, never their emergency calls), and
 * under 'essential_only' for the cap's allowed destinations. A usage priced at zero never needs
 * money, so no cap refuses it (plan-grant holds nothing for it).
 */
function capLeftFor(ctx: ApplyContext, cap: WorkspaceCap | undefined, state: ServiceState): bigint | null {
  if (cap === undefined) return null;
  if (isEmergencyNumber(state.destination, ctx.settings.emergencyNumbers ?? DEFAULT_EMERGENCY_NUMBERS))
    return null;
  const digits = state.destination.replace(/[^0-9]/g, '');
  if (cap.whenReached === 'essential_only' && digits !== '' && cap.allowedDestinations.has(digits))
    return null;
  return capRemainingMicros(cap);
}

/** Whether the cap, not the balance, refused a grant: without the cap it would have been granted. */
function refusedByCap(ctx: ApplyContext, session: WorkspaceSession, request: GrantRequest): boolean {
  if (request.capRemainingMicros === null) return false;
  const uncapped = planGrant(ctx.workspace.bucketsOf(session.accountId), {
    ...request,
    capRemainingMicros: null,
  });
  if (!uncapped.ok) return false;
  ctx.workspace.capsReached.add(session.subscriptionId);
  return true;
}

function releaseCapHold(
  workspace: ChargingWorkspace,
  session: WorkspaceSession,
  bucketId: string,
  amount: bigint,
): void {
  const cap = workspace.caps.get(session.subscriptionId);
  if (cap === undefined || workspace.buckets.get(bucketId)?.unit !== session.rating.currency) return;
  cap.reservedMicros = cap.reservedMicros > amount ? cap.reservedMicros - amount : 0n;
  cap.dirty = true;
}

function scopeOf(session: WorkspaceSession, state: ServiceState, now: Date): UsageScope {
  return {
    subscriptionId: session.subscriptionId,
    service: state.category,
    unit: state.unit as AllowanceUnit,
    currency: session.rating.currency,
    nowMs: now.getTime(),
  };
}

function priceOf(ctx: ApplyContext, session: WorkspaceSession, state: ServiceState) {
  return usagePrice(ctx.tariffOf(session.rating.tariffVersionId), session.rating, state);
}

function defaultUnits(ctx: ApplyContext, state: ServiceState): bigint {
  return ctx.settings.defaultGrantUnits[state.unit];
}

function sessionRating(
  line: ChargedLine,
  now: Date,
): { ok: true; rating: SessionRating } | { ok: false; message: string } {
  if (line.tariffVersionId === null)
    return { ok: false, message: 'the line has no plan with a tariff in effect now' };
  if (line.ratingTenants.length !== 1) {
    return {
      ok: false,
      message: `the tariff's rating profiles name ${line.ratingTenants.length} tenants; charging needs exactly one`,
    };
  }
  return {
    ok: true,
    rating: {
      tariffVersionId: line.tariffVersionId,
      ratingTenant: line.ratingTenants[0]!,
      subject: line.subject,
      currency: line.currency,
      startedAtMs: now.getTime(),
    },
  };
}

/** A session that cannot be rated is never stored; this keeps its shape whole meanwhile. */
function placeholderRating(line: ChargedLine, now: Date): SessionRating {
  return {
    tariffVersionId: '',
    ratingTenant: '',
    subject: line.subject,
    currency: line.currency,
    startedAtMs: now.getTime(),
  };
}

function success(
  ctx: ApplyContext,
  state: ServiceState,
  grantedUnits: bigint,
  chargedMicros: bigint,
): ServiceUsageAnswer {
  return {
    ratingGroup: state.ratingGroup,
    resultCode: 'success',
    unit: state.unit,
    grantedUnits,
    finalUnit: false,
    validityTimeSeconds: grantedUnits > 0n ? ctx.settings.validityTimeSeconds : 0,
    chargedMicros,
  };
}

function refusal(
  state: ServiceState,
  code: ServiceUsageAnswer['resultCode'],
  message: string,
): ServiceUsageAnswer {
  return {
    ratingGroup: state.ratingGroup,
    resultCode: code,
    unit: state.unit,
    grantedUnits: 0n,
    finalUnit: code === 'insufficient_balance',
    validityTimeSeconds: 0,
    chargedMicros: 0n,
    message,
  };
}

function answered(
  request: CreditControlRequest,
  session: WorkspaceSession,
  services: ServiceUsageAnswer[],
): CreditControlAnswer {
  return {
    ok: true,
    sessionId: request.sessionId,
    requestNumber: request.requestNumber,
    accountId: session.accountId,
    currency: session.rating.currency,
    services,
  };
}

function refuse(
  request: CreditControlRequest,
  code: CreditControlErrorCode,
  message: string,
): CreditControlAnswer {
  return { ok: false, sessionId: request.sessionId, requestNumber: request.requestNumber, code, message };
}
