import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/app-context.js';

export function catalogRoutes(_context: AppContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
