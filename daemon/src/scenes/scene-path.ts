import picomatch from 'picomatch';
import { BridgeError } from '../errors/catalogue.js';

const sceneExtensions = ['.tscn', '.scn'];
const fixHint = 'Use a normalized path such as res://scenes/main.tscn.';

/**
 * Checks that a scene path is a clean res:// path to a scene file and returns
 * it unchanged. Raises INVALID_SCENE_PATH naming the problem otherwise.
 */
export function checkScenePath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(value, 'scene_path must be a non-empty string');
  }
  const problem = findProblem(value);
  if (problem) throw invalid(value, problem);
  return value;
}

function findProblem(value: string): string | undefined {
  // Control characters are rejected first so that no later step prints them.
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character';
  if (value.includes('\\')) return 'contains a backslash';
  if (value.includes('%')) return 'contains percent-encoding, which Godot paths do not use';
  if (value.startsWith('user://')) return 'is a user:// path; only res:// scenes can be loaded';
  if (!value.startsWith('res://')) {
    return value.startsWith('/') ? 'is an absolute file system path' : 'does not start with res://';
  }
  const rest = value.slice('res://'.length);
  if (rest.length === 0) return 'names no file';
  const segments = rest.split('/');
  if (segments.includes('..')) return 'contains ".."';
  if (segments.some((segment) => segment === '' || segment === '.')) {
    return 'is not normalized (empty or "." segment)';
  }
  if (!sceneExtensions.some((extension) => value.endsWith(extension))) {
    return 'does not end in .tscn or .scn';
  }
  return undefined;
}

function invalid(value: unknown, problem: string): BridgeError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 200)) : String(value);
  return new BridgeError('INVALID_SCENE_PATH', `Scene path ${shown} ${problem}. ${fixHint}`, {
    details: { scene_path: typeof value === 'string' ? value.slice(0, 200) : value },
  });
}

/** The configured glob patterns over res:// paths that scene commands may touch. */
export class SceneAllowList {
  private readonly matcher: (path: string) => boolean;

  constructor(readonly patterns: readonly string[]) {
    this.matcher = picomatch([...patterns], { dot: false });
  }

  allows(scenePath: string): boolean {
    return this.matcher(scenePath);
  }

  /** Raises SCENE_PATH_NOT_ALLOWED when the path matches no pattern. */
  check(scenePath: string): void {
    if (this.allows(scenePath)) return;
    throw new BridgeError(
      'SCENE_PATH_NOT_ALLOWED',
      `Scene path "${scenePath}" is outside the allow-list (${this.patterns.join(', ')}). ` +
        'Add a matching pattern to sceneAllowList in godot-bridge.json to allow it.',
      { details: { scene_path: scenePath, allow_list: this.patterns } },
    );
  }
}

/** Checks the form and the allow-list of a scene path, in that order. */
export function checkAllowedScenePath(value: unknown, allowList: SceneAllowList): string {
  const scenePath = checkScenePath(value);
  allowList.check(scenePath);
  return scenePath;
}
