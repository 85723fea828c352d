import { BridgeError } from '../../errors/catalogue.js';
import type { InstanceRegistry } from '../../godot/instance-registry.js';
import { checkAllowedScenePath, type SceneAllowList } from '../../scenes/scene-path.js';
import type { SceneService } from '../../scenes/scene-service.js';
import { runExclusive } from '../exclusive.js';
import type { JobDefinition } from '../job-definition.js';

export interface ScenePreloadParameters {
  scene_paths: string[];
  /** Instance selector, as `?instance=` takes it. */
  instance?: string;
}

export interface PreloadedScene {
  scene_path: string;
  /** Load time Godot reported, or the round trip measured by the daemon, in milliseconds. */
  load_ms: number;
}

export interface ScenePreloadDependencies {
  scenes: SceneService;
  registry: InstanceRegistry;
  allowList: SceneAllowList;
  /** How long a job waits for a Godot instance to connect (the jobs.instanceWaitMs setting). */
  instanceWaitMs: number;
}

/**
 * `scene_preload`: has one Godot instance load each scene into its
 * resource cache, one after another, so that a later scene change is quick.
 */
export function scenePreloadJob(
  deps: ScenePreloadDependencies,
): JobDefinition<ScenePreloadParameters> {
  return {
    type: 'scene_preload',
    schemaId: 'http/job-scene-preload',
    pollIntervalSeconds: 1,
    check(parameters) {
      parameters.scene_paths.forEach((scenePath, index) =>
        checkParameterPath(scenePath, `parameters.scene_paths[${index}]`, deps.allowList),
      );
    },
    async run(parameters, context) {
      const instance = await deps.registry.waitForInstance(
        parameters.instance,
        deps.instanceWaitMs,
        context.signal,
      );
      const total = parameters.scene_paths.length;
      const scenes: PreloadedScene[] = [];
      await runExclusive(instance, context.signal, async () => {
        for (const scenePath of parameters.scene_paths) {
          // Cancellation takes effect between scenes.
          context.signal.throwIfAborted();
          const loadMs = await preloadOne(deps.scenes, instance, scenePath, context.signal, scenes);
          scenes.push({ scene_path: scenePath, load_ms: loadMs });
          context.log.debug({ scenePath, loadMs }, 'scene preloaded');
          context.reportProgress(scenes.length / total);
        }
      });
      const totalLoadMs = scenes.reduce((sum, scene) => sum + scene.load_ms, 0);
      return { instance: instance.id, scenes, total_load_ms: totalLoadMs };
    },
  };
}

/** Checks one scene path of a job's parameters, naming the field when it is rejected. */
export function checkParameterPath(value: unknown, field: string, allowList: SceneAllowList): void {
  try {
    checkAllowedScenePath(value, allowList);
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    throw new BridgeError(error.code, `${field}: ${error.message}`, {
      details: { field, ...(error.details as object) },
    });
  }
}

async function preloadOne(
  scenes: SceneService,
  instance: Parameters<SceneService['preload']>[0],
  scenePath: string,
  signal: AbortSignal,
  done: PreloadedScene[],
): Promise<number> {
  const started = performance.now();
  try {
    const reply = (await scenes.preload(instance, scenePath, signal)) as { load_ms?: number };
    return reply.load_ms ?? Math.round((performance.now() - started) * 100) / 100;
  } catch (error) {
    if (!(error instanceof BridgeError) || signal.aborted) throw error;
    throw new BridgeError(error.code, `Preloading ${scenePath} failed: ${error.message}`, {
      details: { scene_path: scenePath, preloaded: done, cause: error.details },
      cause: error,
    });
  }
}
