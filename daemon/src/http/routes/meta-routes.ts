import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { BridgeMetrics } from '../../metrics/metrics.js';
import type { AppContext } from '../context.js';
import { buildOpenApiDocument } from '../openapi/build-document.js';
import { routeDocs } from '../openapi/route-docs.js';

/** GET /openapi.json, GET /docs and GET /metrics. */
export function metaRoutes(context: AppContext, metrics: BridgeMetrics): Router {
  const router = Router();
  let document: Record<string, unknown> | undefined;

  router.get('/openapi.json', (_req, res) => {
    document ??= buildOpenApiDocument(routeDocs, context.schemas);
    res.json(document);
  });

  router.use('/docs', swaggerUi.serve);
  router.get(
    '/docs',
    swaggerUi.setup(undefined, {
      customSiteTitle: 'godot-bridge API',
      swaggerOptions: { url: '/openapi.json', persistAuthorization: true },
    }),
  );

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}
