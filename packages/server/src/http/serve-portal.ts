import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build` leaves the web app: packages/portal/dist, found from src/http and dist/http alike. */
export const DEFAULT_PORTAL_DIR = fileURLToPath(new URL('../../../portal/dist', import.meta.url));

/** The web app's own addresses: each answers index.html, and the app's router shows the screen. */
const APP_PATHS = [
  '/',
  '/sign-in',
  '/forgot-password',
  '/reset-password',
  '/portal',
  '/portal/*',
  '/console',
  '/console/*',
];

/**
 * The portal's page may run only our own scripts and talk only to its own origin; inline styles
 * are allowed for element style attributes (bar widths), which carry no script.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the web app (customer portal and operator console) from the API's origin, so the session
 * cookie and the API need no cross-origin rules. Hashed assets are cached for a year; the page
 * itself never, so a new build is seen at the next load. Without a build, the app's addresses say
 * how to make one and the API works as before.
 */
export async function servePortal(app: FastifyInstance, portalDir: string): Promise<void> {
  const index = join(portalDir, 'index.html');
  if (!existsSync(index)) {
    for (const url of APP_PATHS)
      app.get(url, { schema: { hide: true } }, async (_request, reply) =>
        reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send(`The web app is not built (no ${index}). Run \`npm run build\`, then start again.\n`),
      );
    return;
  }
  await app.register(fastifyStatic, {
    root: portalDir,
    prefix: '/',
    wildcard: false,
    index: false,
    decorateReply: true,
    setHeaders: (response, path) => {
      response.setHeader('x-content-type-options', 'nosniff');
      if (path.includes(`${join(portalDir, 'assets')}`))
        response.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else response.setHeader('cache-control', 'no-cache');
    },
  });
  const sendApp = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .sendFile('index.html', { cacheControl: false, lastModified: true });
  for (const url of APP_PATHS)
    app.get(url, { schema: { hide: true } }, async (_request, reply) => sendApp(reply));
}
