import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/app-context.js';
import { planRoutes } from './plan-routes.js';
import { quoteRoutes } from './quote-routes.js';
import { tariffRoutes } from './tariff-routes.js';

/** The catalog: tariffs and plans with their versions, and quotes priced with them. */
export function catalogRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(tariffRoutes(context));
    await app.register(planRoutes(context));
    await app.register(quoteRoutes(context));
  };
}
