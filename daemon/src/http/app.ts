import express, { type Express, type Request } from 'express';
import { HostCheck } from '../security/host-check.js';
import type { AppContext } from './context.js';
import { jsonBody } from './middleware/body.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { bearerAuth, hostGuard } from './middleware/guards.js';
import { requestLog } from './middleware/request-log.js';
import { sceneRoutes } from './routes/scene-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';

/** Routes that answer without a token. */
function isPublic(req: Request): boolean {
  return req.method === 'GET' && req.path === '/health';
}

/**
 * Assembles the express app: request ids and logs, the Host/Origin guard,
 * bearer auth, JSON bodies, the routers and the shared error shape.
 */
export function createApp(context: AppContext, boundPort: () => number): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestLog(context.log));
  // The port is known only once the server listens (port 0 picks one), so the
  // guard is built on the first request and rebuilt if the port changes.
  let guard: { port: number; handler: ReturnType<typeof hostGuard> } | undefined;
  app.use((req, res, next) => {
    const port = boundPort();
    if (guard?.port !== port) {
      const check = new HostCheck({
        bindHost: context.config.host,
        port,
        allowedHosts: context.config.allowedHosts,
        allowedOrigins: context.config.allowedOrigins,
      });
      guard = { port, handler: hostGuard(check) };
    }
    guard.handler(req, res, next);
  });
  app.use(bearerAuth(context.token, context.events, isPublic));
  app.use(jsonBody(context.config.bodyLimitBytes));

  app.use(systemRoutes(context));
  app.use(sceneRoutes(context));
  app.use(webhookRoutes(context));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
