import { type Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';

import { SceneCache } from '../scenes/static/scene-cache.js';
import { type SceneValidationResult, validateScenes } from '../scenes/static/validate-scene.js';
import { formatJson, formatJunit, formatText, summarize } from './validate-report.js';
import { resolveProjectDirFromCwd, resolveTargets, UsageError } from './validate-targets.js';

type ReportFormat = 'text' | 'json' | 'junit';

interface ValidateFlags {
  project?: string;
  format: ReportFormat;
}

/** Output streams of the command; tests pass their own. */
export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: () => string;
}

/** Exit codes: 0 all scenes valid, 1 errors found, 2 bad command line. */
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/**
 * Adds `validate [paths...]` to a commander program: static validation of
 * scenes with a text, JSON or JUnit report, exiting with 1 when any error is
 * found.
 */
export function addValidateCommand(program: Command, io: CommandIo = processIo()): Command {
  return program
    .command('validate')
    .description('Check scenes statically (no Godot needed): syntax, references, nodes, instances')
    .argument('[paths...]', 'scenes as res:// paths, file paths or globs (default: every scene)')
    .option('--project <dir>', 'Godot project folder (default: the current folder)')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['text', 'json', 'junit'])
        .default('text'),
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      process.exitCode = await runValidate(paths, flags, io);
    });
}

async function runValidate(paths: string[], flags: ValidateFlags, io: CommandIo): Promise<number> {
  let projectDir: string;
  let scenes: string[];
  try {
    projectDir = await resolveProjectDirFromCwd(flags.project, io.cwd());
    scenes = await resolveTargets(projectDir, paths, io.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`godot-bridge validate: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const started = performance.now();
  const results = await validateWithProgress(projectDir, scenes, flags.format, io);
  const summary = summarize(results, performance.now() - started);
  if (flags.format === 'json') io.stdout.write(formatJson(projectDir, results, summary));
  else if (flags.format === 'junit') io.stdout.write(formatJunit(results, summary));
  else io.stdout.write(formatText(results, summary));
  return summary.errors > 0 ? EXIT_INVALID : 0;
}

async function validateWithProgress(
  projectDir: string,
  scenes: string[],
  format: ReportFormat,
  io: CommandIo,
): Promise<SceneValidationResult[]> {
  const showBar = format === 'text' && io.stdout.isTTY === true && scenes.length > 1;
  const bar = showBar
    ? new SingleBar({ stream: io.stdout, format: 'validating [{bar}] {value}/{total} scenes' })
    : undefined;
  bar?.start(scenes.length, 0);
  try {
    return await validateScenes(projectDir, scenes, { cache: new SceneCache() }, () =>
      bar?.increment(),
    );
  } finally {
    bar?.stop();
  }
}

function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: () => process.cwd() };
}
