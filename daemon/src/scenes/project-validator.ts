import type { Logger } from '../logging/logger.js';
import type { StaticSceneValidator, StaticValidation } from './scene-service.js';
import { listScenes, SceneCache, validateScene, validateScenes } from './static/index.js';

/**
 * The static pass over one project: validates scenes from disk and keeps
 * parsed files in a cache keyed by path, size and modification time, so an
 * unchanged project validates again quickly.
 */
export class ProjectValidator implements StaticSceneValidator {
  readonly cache = new SceneCache();

  constructor(
    private readonly projectDir: string,
    private readonly maxDepth: number,
    private readonly log?: Logger,
  ) {}

  async validate(scenePath: string, signal?: AbortSignal): Promise<StaticValidation> {
    signal?.throwIfAborted();
    return validateScene(this.projectDir, scenePath, {
      cache: this.cache,
      maxDepth: this.maxDepth,
      logger: this.log,
    });
  }

  /** Lists every scene of the project as res:// paths. */
  async listScenes(): Promise<string[]> {
    return listScenes(this.projectDir);
  }

  /**
   * Validates many scenes into the cache, reporting each result; stops
   * between scenes when the signal aborts.
   */
  async validateMany(
    scenePaths: string[],
    onResult?: (result: StaticValidation & { scene_path: string }, done: number) => void,
    signal?: AbortSignal,
  ): Promise<Array<StaticValidation & { scene_path: string }>> {
    const results: Array<StaticValidation & { scene_path: string }> = [];
    for (const scenePath of scenePaths) {
      signal?.throwIfAborted();
      const [result] = await validateScenes(this.projectDir, [scenePath], {
        cache: this.cache,
        maxDepth: this.maxDepth,
        logger: this.log,
      });
      results.push(result!);
      onResult?.(result!, results.length);
    }
    return results;
  }
}
