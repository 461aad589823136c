import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/app-context.js';
import { HttpProblem } from '../http/problem.js';
import { completePasswordReset } from './complete-password-reset.js';
import { DEFAULT_PUBLIC_URL, requestPasswordReset } from './request-password-reset.js';
import { PUBLIC_ROUTE_RATE_LIMIT } from './session-routes.js';
import { PasswordResetCompleteBody, PasswordResetRequestBody } from './user-schemas.js';

const tags = ['sessions'];

/**
 * Password reset by a single-use token that reaches the user by e-mail, in a link to the portal
 * at the configured public URL (never one built from the request's Host header: whoever asks
 * for the reset chooses that, and could have the victim's link point at their own server).
 */
export function passwordResetRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  const delivery = { publicUrl: context.publicUrl ?? DEFAULT_PUBLIC_URL };
  return async (app) => {
    app.post(
      '/v1/password-resets',
      {
        config: { rateLimit: PUBLIC_ROUTE_RATE_LIMIT },
        schema: {
          tags,
          summary: 'Ask for a password reset link by e-mail (always 202, whether or not the account exists)',
          description:
            'When the tenant has a user with this e-mail address, a token valid for one hour is issued and a password_reset email (in the language of the customer, or of the tenant for staff) is queued to that address with the link `<TOLLGATE_PUBLIC_URL>/reset-password?token=<token>`. The answer is 202 with no body either way, so it tells nobody which addresses have accounts. The token is never in an answer or the server log; the message log (GET /v1/notifications) shows it as [redacted].',
          security: [],
          body: PasswordResetRequestBody,
        },
      },
      async (request, reply) => {
        // The token is for the user's mailbox, never for this answer nor the logs.
        await requestPasswordReset(db, request.body, now(), delivery);
        return reply.status(202).send();
      },
    );

    app.post(
      '/v1/password-resets/complete',
      {
        config: { rateLimit: PUBLIC_ROUTE_RATE_LIMIT },
        schema: {
          tags,
          summary: "Set a new password with a reset token; ends all the user's sessions",
          security: [],
          body: PasswordResetCompleteBody,
        },
      },
      async (request, reply) => {
        const result = await completePasswordReset(db, request.body, now());
        if (result.ok) return reply.status(204).send();
        if (result.code === 'invalid_token') {
          const message = 'the reset token is unknown, used or expired';
          throw new HttpProblem('validation_failed', message, [{ field: '/token', message }]);
        }
        throw new HttpProblem('validation_failed', result.message, [
          { field: '/newPassword', message: result.message },
        ]);
      },
    );
  };
}
