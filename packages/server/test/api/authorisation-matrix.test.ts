import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/auth/api-keys.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

/**
 * Every route of the API, found from the app itself (so a new route is covered without editing
 * this file): without a key it is 401, and with a key whose role is below the route's it is 403,
 * whatever the path parameters and body.
 */
describe(`authorisation matrix (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await openApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const bodyFor = (method: string) => (method === 'GET' ? {} : { payload: {} });
  const urlOf = (template: string) => template.replace(/:[A-Za-z]+/g, () => randomUUID());

  it('covers a real set of routes', () => {
    const protectedRoutes = h.app.routeRoles.filter((r) => r.role !== undefined);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses every protected route without a key: 401', async () => {
    for (const route of h.app.routeRoles.filter((r) => r.role !== undefined)) {
      const response = await h.app.inject({
        method: route.method as 'GET',
        url: urlOf(route.url),
        ...bodyFor(route.method),
      });
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 401]);
    }
  });

  it('refuses every route to a key whose role is too low: 403', async () => {
    for (const route of h.app.routeRoles.filter((r) => r.role !== undefined)) {
      const needed = ROLES.indexOf(route.role!);
      for (const role of ROLES.slice(0, needed)) {
        const response = await h.app.inject({
          method: route.method as 'GET',
          url: urlOf(route.url),
          headers: bearer(h.tenant.keys[role]),
          ...bodyFor(route.method),
        });
        expect([route.method, route.url, role, response.statusCode]).toEqual([
          route.method,
          route.url,
          role,
          403,
        ]);
      }
    }
  });

  it('answers unknown ids with 404 problems, not 5xx, for every GET with a path parameter', async () => {
    for (const route of h.app.routeRoles.filter(
      (r) => r.role !== undefined && r.method === 'GET' && r.url.includes(':'),
    )) {
      const response = await h.app.inject({
        method: 'GET',
        url: urlOf(route.url),
        headers: bearer(h.tenant.keys.admin),
      });
      expect([route.url, response.statusCode, response.json().code]).toEqual([route.url, 404, 'not_found']);
    }
  });
});
