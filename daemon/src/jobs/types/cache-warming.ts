import { BridgeError } from '../../errors/catalogue.js';
import type { GodotInstance } from '../../godot/instance.js';
import type { InstanceRegistry } from '../../godot/instance-registry.js';
import { checkScenePath, type SceneAllowList } from '../../scenes/scene-path.js';
import type { SceneService, StaticSceneValidator } from '../../scenes/scene-service.js';
import { runExclusive } from '../exclusive.js';
import type { JobContext, JobDefinition } from '../job-definition.js';
import type { MainScene } from '../main-scene.js';

export interface CacheWarmingParameters {
  /** Limits the preload to one instance; without it every connected instance preloads. */
  instance?: string;
}

/**
 * The daemon's static scene analysis: lists the project's scenes, and its
 * `validate` parses a scene into the parse cache and checks it.
 */
export interface StaticSceneCache extends StaticSceneValidator {
  /** Lists every scene file of the project as res:// paths. */
  listScenes(): Promise<string[]>;
}

export interface CacheWarmingDependencies {
  scenes: SceneService;
  registry: InstanceRegistry;
  allowList: SceneAllowList;
  readMainScene(): Promise<MainScene>;
  /** Absent when the daemon runs without one; the job then only preloads. */
  staticCache?: StaticSceneCache;
}

interface StaticOutcome {
  scene_path: string;
  valid: boolean;
  error_count: number;
  warning_count: number;
}

interface PreloadOutcome {
  instance: string;
  scene_path: string;
  load_ms?: number;
  error?: { code: string; message: string };
}

/**
 * `cache_warming`: parses and statically checks every allowed scene into the
 * daemon's cache, then has the connected instances to preload the
 * project's main scene.
 */
export function cacheWarmingJob(
  deps: CacheWarmingDependencies,
): JobDefinition<CacheWarmingParameters> {
  return {
    type: 'cache_warming',
    schemaId: 'http/job-cache-warming',
    pollIntervalSeconds: 2,
    async run(parameters, context) {
      const notes: string[] = [];
      const mainScene = await usableMainScene(deps, notes);
      const scenePaths = deps.staticCache ? await listAllowedScenes(deps) : [];
      const instances = parameters.instance
        ? [deps.registry.resolve(parameters.instance)]
        : deps.registry.list();
      const preloadSteps = mainScene === null ? 0 : instances.length;
      const progress = stepCounter(context, scenePaths.length + preloadSteps);

      const staticResult = deps.staticCache
        ? await validateAll(deps.staticCache, scenePaths, context, progress)
        : {
            available: false,
            message:
              'This daemon runs without a static scene cache, so no scene was parsed or ' +
              'checked.',
          };
      const preloads: PreloadOutcome[] = [];
      if (mainScene !== null) {
        for (const instance of instances) {
          context.signal.throwIfAborted();
          preloads.push(await preloadOn(deps.scenes, instance, mainScene, context));
          progress();
        }
      }
      if (mainScene !== null && instances.length === 0) {
        notes.push('No Godot instance is connected, so no instance preloaded the main scene.');
      }
      return { main_scene: mainScene, static: staticResult, preloads, notes };
    },
  };
}

async function usableMainScene(
  deps: CacheWarmingDependencies,
  notes: string[],
): Promise<string | null> {
  const { setting, path: mainScene } = await deps.readMainScene();
  if (setting === null) {
    notes.push('project.godot sets no application/run/main_scene, so nothing was preloaded.');
    return null;
  }
  if (mainScene === null) {
    notes.push(
      `The main scene ${setting} is not in the project's UID index, so nothing was preloaded. ` +
        'Open the project in the Godot editor once to rebuild .godot/uid_cache.bin.',
    );
    return null;
  }
  try {
    checkScenePath(mainScene);
    deps.allowList.check(mainScene);
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    notes.push(`The main scene was not preloaded: ${error.message}`);
    return null;
  }
  return mainScene;
}

async function listAllowedScenes(deps: CacheWarmingDependencies): Promise<string[]> {
  const all = await deps.staticCache!.listScenes();
  return all.filter((scenePath) => deps.allowList.allows(scenePath));
}

async function validateAll(
  cache: StaticSceneCache,
  scenePaths: string[],
  context: JobContext,
  progress: () => void,
): Promise<{ available: true; scenes: StaticOutcome[] }> {
  const scenes: StaticOutcome[] = [];
  for (const scenePath of scenePaths) {
    context.signal.throwIfAborted();
    const result = await cache.validate(scenePath, context.signal);
    scenes.push({
      scene_path: scenePath,
      valid: result.valid,
      error_count: result.errors.length,
      warning_count: result.warnings.length,
    });
    progress();
  }
  return { available: true, scenes };
}

/** Preloads on one instance; a failure is recorded in the result and the job goes on. */
async function preloadOn(
  scenes: SceneService,
  instance: GodotInstance,
  scenePath: string,
  context: JobContext,
): Promise<PreloadOutcome> {
  try {
    const started = performance.now();
    const reply = (await runExclusive(instance, context.signal, () =>
      scenes.preload(instance, scenePath, context.signal),
    )) as { load_ms?: number };
    // The addon reports load_ms. When an older addon leaves it out, the round trip is used.
    const loadMs = reply.load_ms ?? Math.round((performance.now() - started) * 100) / 100;
    return { instance: instance.id, scene_path: scenePath, load_ms: loadMs };
  } catch (error) {
    if (context.signal.aborted || !(error instanceof BridgeError)) throw error;
    context.log.warn({ instance: instance.id, code: error.code }, 'main scene preload failed');
    return {
      instance: instance.id,
      scene_path: scenePath,
      error: { code: error.code, message: error.message },
    };
  }
}

/** Returns a function that reports one more step of `total` done. */
function stepCounter(context: JobContext, total: number): () => void {
  let done = 0;
  return () => {
    done += 1;
    context.reportProgress(total === 0 ? 1 : done / total);
  };
}
