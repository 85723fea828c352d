import { Router } from 'express';
import { daemonVersion } from '../../version.js';
import type { AppContext } from '../context.js';
import { integerQuery } from '../query.js';

/** Entries of each list that GET /overview returns when no `limit` is given. */
export const defaultOverviewLimit = 5;
/** Largest `limit` GET /overview accepts. */
export const maxOverviewLimit = 50;

/**
 * Services that can list their latest records for GET /overview. Each method
 * returns the newest records first, at most `limit` of them, already in the
 * JSON shape of that service's own routes. A service that is not part of this
 * daemon leaves its method out, and the overview then returns an empty list.
 */
export interface OverviewSources {
  recentJobs?(limit: number): unknown[];
  recentDeliveries?(limit: number): unknown[];
}

/**
 * GET /overview: what an editor dock shows, in one response: the daemon, the
 * connected instances, the latest jobs and the latest webhook deliveries.
 */
export function overviewRoutes(context: AppContext): Router {
  const router = Router();

  router.get('/overview', (req, res) => {
    // An empty ?limit= takes the default, as an absent one does.
    const limit =
      req.query.limit === ''
        ? defaultOverviewLimit
        : integerQuery(req, 'limit', defaultOverviewLimit, 1, maxOverviewLimit);
    const sources = context.overviewSources ?? {};
    const warnings: string[] = [];
    const read = (name: string, list: () => unknown[] | undefined) =>
      readSource(context, name, list, limit, warnings);
    res.json({
      success: true,
      daemon: {
        version: daemonVersion,
        uptime_seconds: Math.floor((Date.now() - context.startedAt.getTime()) / 1000),
        project: { path: context.config.projectDir, name: context.projectName },
      },
      instances: context.registry.list().map((instance) => instance.describe()),
      jobs: read('jobs', () => sources.recentJobs?.(limit)),
      deliveries: read('deliveries', () => sources.recentDeliveries?.(limit)),
      warnings,
    });
  });

  return router;
}

/**
 * Reads one list for the overview. A failing source is logged, shows as an
 * empty list and adds a line to `warnings`, so one broken service cannot hide
 * the rest of the overview.
 */
function readSource(
  context: AppContext,
  name: string,
  read: () => unknown[] | undefined,
  limit: number,
  warnings: string[],
): unknown[] {
  try {
    return (read() ?? []).slice(0, limit);
  } catch (error) {
    context.log.error({ err: error, source: name }, 'overview source failed');
    warnings.push(`The ${name} list could not be read: ${(error as Error).message}`);
    return [];
  }
}
