import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `vite build` puts the console (see console/vite.config.ts): `dist/console` of the package, from src or dist alike. */
export const consoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'console');

/** Paths that are APIs, never console pages: an unknown path under them is a 404 in the platform's error shape. */
const apiPrefixes = ['/data/', '/ims/', '/tributary/', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz'];

/**
 * Serves the console's built files from `consoleDir` at `/` (a route per file, found at start), and tells
 * whether a request the router did not match is a console page: a GET for HTML outside the APIs, such as a
 * reload of `/flows/…`, which the console's own router then shows. Without a built console (`npm run build`
 * not run) nothing is served and every page is an API 404.
 */
export async function registerConsole(server: FastifyInstance): Promise<{ isConsolePage(request: FastifyRequest): boolean; sendPage(reply: FastifyReply): FastifyReply }> {
  const built = fs.existsSync(path.join(consoleDir, 'index.html'));
  if (built) {
    await server.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/',
      wildcard: false,
      // Hashed asset names change with every build: they may be kept a year. The page itself is always asked again.
      setHeaders: (reply, file) => void reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  return {
    isConsolePage: (request) => {
      if (!built || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
      const pathname = request.url.split('?')[0] ?? '';
      return !apiPrefixes.some((prefix) => pathname.startsWith(prefix)) && String(request.headers.accept ?? '').includes('text/html');
    },
    sendPage: (reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'),
  };
}
