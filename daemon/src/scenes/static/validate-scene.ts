import type { Logger } from 'pino';

import { type Finding, severityOf } from './findings.js';
import { SceneCache } from './scene-cache.js';
import { SceneValidator } from './scene-validator.js';
import { ValidationRun } from './validation-run.js';

export interface ValidateOptions {
  /** Parsed files and the UID index kept between calls; a fresh cache is used when omitted. */
  cache?: SceneCache;
  /** Maximum value nesting accepted by the parser (default 128). */
  maxDepth?: number;
  logger?: Logger;
}

/** The static validation result of one scene, its instanced scenes included. */
export interface SceneValidationResult {
  scene_path: string;
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
  /** True when the scene itself uses the Godot 3 text format. */
  legacy: boolean;
  duration_ms: number;
}

/**
 * Validates one scene of the project statically, with no Godot running. The
 * path must already be a normalized `res://` path; files are read only
 * inside `projectDir`.
 */
export async function validateScene(
  projectDir: string,
  resPath: string,
  options: ValidateOptions = {},
): Promise<SceneValidationResult> {
  const [result] = await validateScenes(projectDir, [resPath], options);
  return result!;
}

/**
 * Validates several scenes in one run: files instanced by several scenes are
 * checked once, and the UID index is refreshed at most once.
 * `onResult` is called after each scene, for progress display.
 */
export async function validateScenes(
  projectDir: string,
  resPaths: readonly string[],
  options: ValidateOptions = {},
  onResult?: (result: SceneValidationResult) => void,
): Promise<SceneValidationResult[]> {
  const cache = options.cache ?? new SceneCache();
  const run = new ValidationRun(projectDir, cache, options.maxDepth, options.logger);
  const validator = new SceneValidator(run);
  const results: SceneValidationResult[] = [];
  for (const resPath of resPaths) {
    const started = performance.now();
    const file = await validator.validate(resPath);
    const result = summarize(resPath, file.findings, file.legacy, performance.now() - started);
    results.push(result);
    onResult?.(result);
  }
  return results;
}

function summarize(
  resPath: string,
  findings: Finding[],
  legacy: boolean,
  elapsed: number,
): SceneValidationResult {
  const unique = dedupe(findings);
  const errors = unique.filter((finding) => severityOf(finding.code) === 'error');
  const warnings = unique.filter((finding) => severityOf(finding.code) === 'warning');
  return {
    scene_path: resPath,
    valid: errors.length === 0,
    errors,
    warnings,
    legacy,
    duration_ms: Math.round(elapsed * 1000) / 1000,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.file}:${finding.line}:${finding.column}:${finding.code}:${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
