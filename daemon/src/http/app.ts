import express, { type Express, type Request, type RequestHandler } from 'express';
import { HostCheck } from '../security/host-check.js';
import type { AppContext } from './context.js';
import { jsonBody } from './middleware/body.js';
import { compose } from './middleware/compose.js';
import { conditionalGet } from './middleware/conditional.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { bearerAuth, hostGuard } from './middleware/guards.js';
import { requestLog } from './middleware/request-log.js';
import { eventRoutes } from './routes/event-routes.js';
import { metaRoutes } from './routes/meta-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { batchRoutes } from './routes/batch-routes.js';
import { overviewRoutes } from './routes/overview-routes.js';
import { sceneRoutes } from './routes/scene-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';

/** Routes served without a token: liveness and the API description. */
function isPublicRoute(req: Request, publicMetrics: boolean): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path === '/health' || req.path === '/openapi.json') return true;
  if (req.path === '/docs' || req.path.startsWith('/docs/')) return true;
  return publicMetrics && req.path === '/metrics';
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

  // The port is known only once the server listens (port 0 picks one), so the
  // guard is built on the first request and rebuilt if the port changes.
  let guard: { port: number; handler: ReturnType<typeof hostGuard> } | undefined;
  const guardHost: RequestHandler = (req, res, next) => {
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
  };
  const publicMetrics = context.config.http.publicMetrics;
  app.use(
    compose(
      requestLog(app, context.log, context.metrics.observeRequest),
      guardHost,
      bearerAuth(context.token, context.events, (req) => isPublicRoute(req, publicMetrics)),
      conditionalGet(context.config.http.cacheMaxAgeSeconds),
    ),
  );
  // Parses its own body after its rate limit; see batch-routes.ts.
  app.use(batchRoutes(context));
  app.use(jsonBody(context.config.bodyLimitBytes));

  // Scene commands are the hot path, so their router is tried first.
  app.use(sceneRoutes(context));
  app.use(systemRoutes(context));
  app.use(eventRoutes(context));
  app.use(overviewRoutes(context));
  app.use(metaRoutes(context, context.metrics));
  app.use(webhookRoutes(context));
  app.use(jobRoutes(context));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
