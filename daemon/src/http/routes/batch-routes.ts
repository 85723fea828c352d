import { Router } from 'express';
import type { AppContext } from '../context.js';
import { jsonBody } from '../middleware/body.js';
import { instanceParam } from '../query.js';

/**
 * POST /batch. Mount it before the app's shared body parser: the rate limit
 * runs first, so that a body the parser rejects (invalid JSON, too large)
 * still counts and carries the RateLimit headers.
 */
export function batchRoutes(context: AppContext): Router {
  const router = Router();
  const { config } = context;
  const limit = context.batchRateLimit;

  router.post('/batch', limit, jsonBody(config.bodyLimitBytes), async (req, res) => {
    const instanceSelector = instanceParam(req);
    const response = await context.batch.run(req.body, { instanceSelector });
    res.json(response);
  });

  return router;
}
