import type { BatchService } from '../batch/batch-service.js';
import type { RequestHandler } from 'express';
import type { BridgeConfig } from '../config/defaults.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventHistory } from '../events/event-history.js';
import type { InstanceRegistry } from '../godot/instance-registry.js';
import type { JobService } from '../jobs/job-service.js';
import type { Logger } from '../logging/logger.js';
import type { BridgeMetrics } from '../metrics/metrics.js';
import type { SceneAllowList } from '../scenes/scene-path.js';
import type { SceneService } from '../scenes/scene-service.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import type { WebhookService } from '../webhooks/webhook-service.js';
import type { OverviewSources } from './routes/overview-routes.js';

/** The services the HTTP layer uses; the daemon assembles them once. */
export interface AppContext {
  config: Readonly<BridgeConfig>;
  log: Logger;
  token: string;
  startedAt: Date;
  schemas: SchemaRegistry;
  events: EventBus;
  eventHistory: EventHistory;
  metrics: BridgeMetrics;
  registry: InstanceRegistry;
  scenes: SceneService;
  allowList: SceneAllowList;
  jobs: JobService;
  batch: BatchService;
  webhooks: WebhookService;
  /** Project name read from project.godot, when it could be read. */
  projectName: string | null;
  /** Services that list their latest records for GET /overview; absent ones give empty lists. */
  overviewSources?: OverviewSources;
  /**
   * The batch rate limit, shared by POST /batch and batch_operations jobs so
   * that a batch submitted as a job counts against the same limit.
   */
  batchRateLimit: RequestHandler;
}
