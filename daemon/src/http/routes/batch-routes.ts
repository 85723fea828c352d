import { Router } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import type { AppContext } from '../context.js';
import { jsonBody } from '../middleware/body.js';

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
    const instanceSelector = req.query.instance;
    if (instanceSelector !== undefined && typeof instanceSelector !== 'string') {
      throw new BridgeError(
        'VALIDATION_FAILED',
        'The instance query parameter was given more than once. Give one id, name or role.',
      );
    }
    const response = await context.batch.run(req.body, { instanceSelector });
    res.json(response);
  });

  return router;
}
