import type { BatchService } from '../batch/batch-service.js';
import type { BridgeConfig } from '../config/defaults.js';
import type { EventBus } from '../events/event-bus.js';
import type { InstanceRegistry } from '../godot/instance-registry.js';
import type { Logger } from '../logging/logger.js';
import type { SceneAllowList } from '../scenes/scene-path.js';
import type { SceneService } from '../scenes/scene-service.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import type { Database } from '../store/database.js';
import { JobStore } from '../store/job-store.js';
import { JobService } from './job-service.js';
import { readMainScene } from './main-scene.js';
import { batchOperationsJob } from './types/batch-operations.js';
import { cacheWarmingJob, type StaticSceneCache } from './types/cache-warming.js';
import { scenePreloadJob } from './types/scene-preload.js';

export interface JobServiceDependencies {
  db: Database;
  config: Readonly<BridgeConfig>;
  events: EventBus;
  log: Logger;
  schemas: SchemaRegistry;
  registry: InstanceRegistry;
  scenes: SceneService;
  allowList: SceneAllowList;
  now?: () => number;
  batch: Pick<BatchService, 'run'>;
  staticCache?: StaticSceneCache;
}

/** Builds the job service over the daemon's database, with the three job types registered. */
export function createJobService(deps: JobServiceDependencies): JobService {
  const service = new JobService({
    store: new JobStore(deps.db),
    config: deps.config.jobs,
    events: deps.events,
    log: deps.log.child({ component: 'jobs' }),
    schemas: deps.schemas,
    now: deps.now,
  });
  const instanceWaitMs = deps.config.jobs.instanceWaitMs;
  const sceneDeps = {
    scenes: deps.scenes,
    registry: deps.registry,
    allowList: deps.allowList,
    instanceWaitMs,
  };
  service.register(scenePreloadJob(sceneDeps));
  service.register(
    cacheWarmingJob({
      ...sceneDeps,
      readMainScene: () => readMainScene(deps.config.projectDir),
      staticCache: deps.staticCache,
    }),
  );
  service.register(
    batchOperationsJob({
      batch: deps.batch,
      schemas: deps.schemas,
      maxOperations: deps.config.batch.maxOperations,
      registry: deps.registry,
      instanceWaitMs,
    }),
  );
  return service;
}
