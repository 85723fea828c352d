import type { BridgeConfig } from '../config/defaults.js';
import { BridgeError } from '../errors/catalogue.js';
import type { EventBus } from '../events/event-bus.js';
import type { GodotInstance } from '../godot/instance.js';
import type { InstanceRegistry } from '../godot/instance-registry.js';

export interface SceneInfo {
  path: string | null;
  root_name: string | null;
  root_type: string | null;
  node_count: number;
}

export interface EngineMessage {
  message: string;
  file?: string;
  line?: number;
  function?: string;
  kind?: string;
}

export interface LoadResult {
  scene: SceneInfo;
  load_ms: number;
  engine_messages?: EngineMessage[];
}

export interface LiveValidation {
  valid: boolean;
  errors: EngineMessage[];
  warnings: EngineMessage[];
  node_count?: number;
  duration_ms?: number;
}

/** A finding of the static pass: a problem Godot would hit, found on disk. */
export interface StaticFinding {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

export interface StaticValidation {
  valid: boolean;
  errors: StaticFinding[];
  warnings: StaticFinding[];
  legacy?: boolean;
  duration_ms?: number;
}

/** The static pass, which reads scene files from the project without Godot. */
export interface StaticSceneValidator {
  validate(scenePath: string, signal?: AbortSignal): Promise<StaticValidation>;
}

export type ValidationMode = 'static' | 'live' | 'both';

export interface CombinedValidation {
  scene_path: string;
  valid: boolean;
  passes: { static?: StaticValidation; live?: LiveValidation };
  passes_run: Array<'static' | 'live'>;
  instance?: string;
  errors: Array<(StaticFinding | EngineMessage) & { pass: 'static' | 'live' }>;
  warnings: Array<(StaticFinding | EngineMessage) & { pass: 'static' | 'live' }>;
  duration_ms: number;
}

/**
 * Scene commands: relays them to a Godot instance with the configured
 * deadlines, runs the static pass, and publishes what happened.
 */
export class SceneService {
  constructor(
    private readonly config: Readonly<BridgeConfig>,
    private readonly registry: InstanceRegistry,
    private readonly events: EventBus,
    private readonly staticValidator?: StaticSceneValidator,
  ) {}

  async info(instance: GodotInstance, signal?: AbortSignal): Promise<SceneInfo> {
    return instance.request<SceneInfo>('scene.info', {}, this.commandOptions(signal));
  }

  async load(
    instance: GodotInstance,
    scenePath: string,
    signal?: AbortSignal,
  ): Promise<LoadResult> {
    try {
      const result = await instance.request<LoadResult>(
        'scene.load',
        { scene_path: scenePath },
        this.loadOptions(signal),
      );
      this.events.publish('scene.loaded', {
        instance: instance.id,
        scene_path: scenePath,
        load_ms: result.load_ms,
        scene: result.scene,
      });
      return result;
    } catch (error) {
      this.publishFailure(instance, 'load', scenePath, error);
      throw error;
    }
  }

  async reload(instance: GodotInstance, signal?: AbortSignal): Promise<LoadResult> {
    try {
      const result = await instance.request<LoadResult>(
        'scene.reload',
        {},
        this.loadOptions(signal),
      );
      this.events.publish('scene.reloaded', {
        instance: instance.id,
        scene_path: result.scene.path,
        load_ms: result.load_ms,
        scene: result.scene,
      });
      return result;
    } catch (error) {
      this.publishFailure(instance, 'reload', instance.info.currentScene, error);
      throw error;
    }
  }

  async preload(
    instance: GodotInstance,
    scenePath: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return instance.request('scene.preload', { scene_path: scenePath }, this.loadOptions(signal));
  }

  async validateLive(
    instance: GodotInstance,
    scenePath: string,
    signal?: AbortSignal,
  ): Promise<LiveValidation> {
    return instance.request<LiveValidation>(
      'scene.validate',
      { scene_path: scenePath },
      this.loadOptions(signal),
    );
  }

  /**
   * Validates a scene with the passes the mode selects. Without a mode the
   * static pass always runs and the live pass runs when `instance` is given.
   */
  async validate(
    scenePath: string,
    options: { mode?: ValidationMode; instance?: GodotInstance; signal?: AbortSignal },
  ): Promise<CombinedValidation> {
    const started = performance.now();
    const mode = options.mode;
    const runStatic = mode !== 'live';
    const runLive = mode === 'live' || mode === 'both' || (mode === undefined && options.instance);
    if (runLive && !options.instance) {
      // Callers resolve the instance first, which keeps the 503/409 rules in one place.
      throw new Error('validate: a live pass needs an instance');
    }
    const passes: CombinedValidation['passes'] = {};
    if (runStatic) passes.static = await this.validateStatic(scenePath, options.signal);
    if (runLive)
      passes.live = await this.validateLive(options.instance!, scenePath, options.signal);
    const result = combine(scenePath, passes, performance.now() - started);
    if (options.instance && runLive) result.instance = options.instance.id;
    this.events.publish('scene.validated', {
      scene_path: scenePath,
      valid: result.valid,
      passes_run: result.passes_run,
      error_count: result.errors.length,
      warning_count: result.warnings.length,
      ...(result.instance ? { instance: result.instance } : {}),
    });
    return result;
  }

  /**
   * Tells whether a validation mode needs a connected instance: `required` for
   * a live pass, `optional` without a mode (the live pass runs when one is
   * connected), `none` for static only.
   */
  needsInstance(mode: ValidationMode | undefined): 'required' | 'optional' | 'none' {
    if (mode === 'live' || mode === 'both') return 'required';
    if (mode === 'static') return 'none';
    return 'optional';
  }

  /**
   * Picks the instance a validation without a mode uses: none when no instance
   * is connected, otherwise the target of `selector`, which raises as
   * `registry.resolve` does.
   */
  optionalInstance(selector: string | undefined): GodotInstance | undefined {
    if (this.registry.size === 0) return undefined;
    return this.registry.resolve(selector);
  }

  private async validateStatic(scenePath: string, signal?: AbortSignal): Promise<StaticValidation> {
    if (!this.staticValidator) {
      throw new BridgeError(
        'INTERNAL_ERROR',
        'The static scene validator is not available in this build.',
      );
    }
    return this.staticValidator.validate(scenePath, signal);
  }

  private publishFailure(
    instance: GodotInstance,
    action: string,
    scenePath: string | null,
    error: unknown,
  ): void {
    const bridgeError = error instanceof BridgeError ? error : undefined;
    this.events.publish('scene.failed', {
      instance: instance.id,
      action,
      scene_path: scenePath,
      error: { code: bridgeError?.code ?? 'INTERNAL_ERROR', message: (error as Error).message },
    });
  }

  private commandOptions(signal?: AbortSignal) {
    return { timeoutMs: this.config.relay.commandTimeoutMs, signal };
  }

  private loadOptions(signal?: AbortSignal) {
    return { timeoutMs: this.config.relay.loadTimeoutMs, signal };
  }
}

function combine(
  scenePath: string,
  passes: CombinedValidation['passes'],
  durationMs: number,
): CombinedValidation {
  const errors: CombinedValidation['errors'] = [];
  const warnings: CombinedValidation['warnings'] = [];
  const passesRun: CombinedValidation['passes_run'] = [];
  for (const pass of ['static', 'live'] as const) {
    const result = passes[pass];
    if (!result) continue;
    passesRun.push(pass);
    errors.push(...result.errors.map((finding) => ({ ...finding, pass })));
    warnings.push(...result.warnings.map((finding) => ({ ...finding, pass })));
  }
  const valid = passesRun.every((pass) => passes[pass]!.valid && passes[pass]!.errors.length === 0);
  return {
    scene_path: scenePath,
    valid,
    passes,
    passes_run: passesRun,
    errors,
    warnings,
    duration_ms: Math.round(durationMs * 100) / 100,
  };
}
