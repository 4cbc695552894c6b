import { existsSync } from 'fs';
import { readFile } from 'fs/promises';
import { dirname, join } from 'path';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

export const DASHBOARD_PATH = '/dashboard';

/** dist/dashboard of this checkout, whether the app runs from dist/src (npm start) or from src (tests, ts-node). */
export function dashboardDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'dashboard');
}

/**
 * Serves the built web dashboard (npm run build writes dist/dashboard) at /dashboard: plain files, outside /api
 * and outside the JWT guard (the pages call the API with the token the user gets by logging in). Without a build
 * /dashboard answers 404 with a hint.
 */
export function setupDashboard(app: NestFastifyApplication, root = dashboardDir()): void {
  const fastify = app.getHttpAdapter().getInstance();
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    new Logger('Dashboard').warn(`${index} is missing: run npm run build to serve the dashboard at ${DASHBOARD_PATH}`);
    fastify.get(DASHBOARD_PATH, async (_req, reply) => reply.code(404).type('text/plain').send('The dashboard is not built: run npm run build.\n'));
    return;
  }
  // /dashboard/ and the assets come from @fastify/static; /dashboard itself gets the page without a redirect
  // (index.html refers to its assets by absolute path, so both URLs work).
  app.useStaticAssets({ root, prefix: `${DASHBOARD_PATH}/`, decorateReply: false, index: 'index.html' });
  fastify.get(DASHBOARD_PATH, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(index)));
}
