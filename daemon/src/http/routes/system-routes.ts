import { Router } from 'express';
import { daemonVersion, protocolVersion } from '../../version.js';
import type { AppContext } from '../context.js';

/** GET /health, GET /status and GET /instances. */
export function systemRoutes(context: AppContext): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ success: true, status: 'ok' });
  });

  router.get('/status', (_req, res) => {
    res.json({
      success: true,
      version: daemonVersion,
      protocol_version: protocolVersion,
      uptime_seconds: Math.floor((Date.now() - context.startedAt.getTime()) / 1000),
      started_at: context.startedAt.toISOString(),
      project: { path: context.config.projectDir, name: context.projectName },
      instances: context.registry.list().map((instance) => instance.describe()),
    });
  });

  router.get('/instances', (_req, res) => {
    const instances = context.registry.list().map((instance) => instance.describe());
    res.json({ success: true, count: instances.length, instances });
  });

  return router;
}
