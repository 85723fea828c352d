import { BatchService } from './batch/batch-service.js';
import { EventBus } from './events/event-bus.js';
import { EventHistory } from './events/event-history.js';
import { InstanceRegistry } from './godot/instance-registry.js';
import type { AppContext } from './http/context.js';
import { deliveryView } from './http/routes/webhook-routes.js';
import { createJobService } from './jobs/create-job-service.js';
import { describeJob } from './jobs/job-view.js';
import { BridgeMetrics } from './metrics/metrics.js';
import { ProjectValidator } from './scenes/project-validator.js';
import { SceneAllowList } from './scenes/scene-path.js';
import { SceneService } from './scenes/scene-service.js';
import { SchemaRegistry } from './schemas/registry.js';
import { rateLimit } from './security/rate-limit.js';
import type { Database } from './store/database.js';
import { WebhookService } from './webhooks/webhook-service.js';
import type { DaemonOptions } from './daemon.js';

/**
 * Builds every service of the daemon and the context the HTTP layer reads
 * them from. The daemon owns the database and the servers.
 */
export function assembleContext(options: DaemonOptions, db: Database, token: string): AppContext {
  const { config, log } = options;
  const schemas = new SchemaRegistry();
  const events = new EventBus();
  const registry = new InstanceRegistry();
  events.onListenerError((error, event) =>
    log.error({ err: error, event: event.event }, 'event listener failed'),
  );
  const metrics = new BridgeMetrics({ registry, events });
  const scenes = new SceneService(config, registry, events, options.staticValidator);
  const allowList = new SceneAllowList(config.sceneAllowList);
  const batch = new BatchService({
    config,
    registry,
    scenes,
    schemas,
    allowList,
    log,
    staticValidation: options.staticValidator !== undefined,
  });
  const jobs = createJobService({
    db,
    config,
    events,
    log,
    schemas,
    registry,
    scenes,
    allowList,
    staticCache:
      options.staticValidator instanceof ProjectValidator ? options.staticValidator : undefined,
    batch,
    now: options.now,
  });
  const context: AppContext = {
    config,
    log,
    token,
    startedAt: new Date(),
    schemas,
    events,
    eventHistory: new EventHistory(events, config.events.bufferSize),
    metrics,
    registry,
    scenes,
    allowList,
    jobs,
    batch,
    webhooks: new WebhookService({
      db,
      settings: config.webhooks,
      events,
      log: log.child({ component: 'webhooks' }),
      onAttempt: (outcome) => metrics.webhookDeliveries.inc({ outcome }),
    }),
    projectName: options.projectName ?? null,
    batchRateLimit: rateLimit({
      route: 'POST /batch',
      limit: config.batch.rateLimit,
      windowMs: config.batch.rateLimitWindowMs,
      events,
    }),
  };
  // The dock's overview shows the newest jobs and deliveries in their public form.
  context.overviewSources = {
    recentJobs: (limit) => context.jobs.list({ limit, offset: 0 }).jobs.map(describeJob),
    recentDeliveries: (limit) =>
      context.webhooks.recentDeliveries(limit).map((delivery) => {
        const view = deliveryView(delivery);
        delete view.payload;
        return view;
      }),
  };
  return context;
}
