import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/app-context.js';
import { HttpProblem } from '../http/problem.js';
import { completePasswordReset } from './complete-password-reset.js';
import { requestPasswordReset } from './request-password-reset.js';
import { PUBLIC_ROUTE_RATE_LIMIT } from './session-routes.js';
import { PasswordResetCompleteBody, PasswordResetRequestBody } from './user-schemas.js';

const tags = ['sessions'];

/** Password reset by a single-use token that reaches the user outside the API. */
export function passwordResetRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/password-resets',
      {
        config: { rateLimit: PUBLIC_ROUTE_RATE_LIMIT },
        schema: {
          tags,
          summary: 'Ask for a password reset token (always 202, whether or not the account exists)',
          security: [],
          body: PasswordResetRequestBody,
        },
      },
      async (request, reply) => {
        // The token is for the user's mailbox, never for this answer nor the logs; its delivery
        // comes with the notifications work. Until then it exists only as its hash.
        await requestPasswordReset(db, request.body, now());
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
