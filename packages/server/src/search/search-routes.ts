import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { findSearchHits, MAX_SEARCH_HITS } from './find-search-hits.js';
import { SearchQuery, SearchResultSchema } from './search-schemas.js';

/** One search box for the operator console. */
export function searchRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db } = context;
  return async (app) => {
    app.get(
      '/v1/search',
      {
        // The least staff role that reads customers (GET /v1/customers).
        config: { role: 'read-only' },
        schema: {
          tags: ['customers'],
          summary: 'Find customers, accounts, lines and invoices',
          description: `Matches customer names (any part, any case) and e-mail addresses, line identifiers (as typed, or normalised as stored: "0151 12345678" finds +4915112345678), account numbers and invoice numbers. At most ${MAX_SEARCH_HITS} hits, whole-value matches first.`,
          querystring: SearchQuery,
          response: { 200: SearchResultSchema },
        },
      },
      async (request) => ({ items: await findSearchHits(db, authOf(request).tenantId, request.query.q) }),
    );
  };
}
