import type { Finding } from '../scenes/static/findings.js';
import type { SceneValidationResult } from '../scenes/static/validate-scene.js';

export interface ValidationSummary {
  scenes: number;
  invalid: number;
  errors: number;
  warnings: number;
  duration_ms: number;
}

export function summarize(
  results: readonly SceneValidationResult[],
  elapsedMs: number,
): ValidationSummary {
  return {
    scenes: results.length,
    invalid: results.filter((result) => !result.valid).length,
    errors: results.reduce((sum, result) => sum + result.errors.length, 0),
    warnings: results.reduce((sum, result) => sum + result.warnings.length, 0),
    duration_ms: Math.round(elapsedMs),
  };
}

function findingLine(severity: string, finding: Finding): string {
  const where =
    finding.line > 0 ? `${finding.file}:${finding.line}:${finding.column}` : finding.file;
  return `${where}: ${severity} ${finding.code}: ${finding.message}`;
}

/** Formats results as lines a person reads in a terminal or a CI log. */
export function formatText(
  results: readonly SceneValidationResult[],
  summary: ValidationSummary,
): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.errors.length === 0 && result.warnings.length === 0) continue;
    lines.push(`${result.scene_path}: ${result.valid ? 'valid' : 'INVALID'}`);
    for (const finding of result.errors) lines.push(`  ${findingLine('error', finding)}`);
    for (const finding of result.warnings) lines.push(`  ${findingLine('warning', finding)}`);
  }
  lines.push(
    `${summary.scenes} scene(s) checked in ${summary.duration_ms} ms: ` +
      `${summary.invalid} invalid, ${summary.errors} error(s), ${summary.warnings} warning(s)`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(
  projectDir: string,
  results: readonly SceneValidationResult[],
  summary: ValidationSummary,
): string {
  return `${JSON.stringify({ project: projectDir, summary, results }, null, 2)}\n`;
}

// eslint-disable-next-line no-control-regex -- these are exactly the characters to remove
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function escapeXml(text: string): string {
  // XML 1.0 forbids most control characters even when escaped, so they are dropped.
  return text
    .replace(CONTROL_CHARACTERS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testCase(result: SceneValidationResult): string {
  const folder = result.scene_path.slice(0, result.scene_path.lastIndexOf('/'));
  const open =
    `    <testcase classname="${escapeXml(folder)}" name="${escapeXml(result.scene_path)}" ` +
    `time="${(result.duration_ms / 1000).toFixed(3)}"`;
  const parts: string[] = [];
  if (!result.valid) {
    const body = result.errors.map((finding) => findingLine('error', finding)).join('\n');
    const message = `${result.errors.length} error(s): ${result.errors[0]?.code ?? ''}`;
    parts.push(
      `      <failure type="validation" message="${escapeXml(message)}">${escapeXml(body)}</failure>`,
    );
  }
  if (result.warnings.length > 0) {
    const body = result.warnings.map((finding) => findingLine('warning', finding)).join('\n');
    parts.push(`      <system-out>${escapeXml(body)}</system-out>`);
  }
  return parts.length === 0 ? `${open}/>` : `${open}>\n${parts.join('\n')}\n    </testcase>`;
}

/** Formats results as JUnit XML: one test case per scene, a failure per scene with errors. */
export function formatJunit(
  results: readonly SceneValidationResult[],
  summary: ValidationSummary,
): string {
  const time = (summary.duration_ms / 1000).toFixed(3);
  const counts = `tests="${summary.scenes}" failures="${summary.invalid}" errors="0" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="godot-bridge validate" ${counts}>`,
    `  <testsuite name="scene validation" ${counts} skipped="0">`,
    ...results.map(testCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
