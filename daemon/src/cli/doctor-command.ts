import type { Command } from 'commander';
import { doctorFailed, runDoctor, type DoctorCheck } from '../install/doctor.js';

interface DoctorCommandOptions {
  project?: string;
  url?: string;
  token?: string;
  json?: boolean;
}

/** `godot-bridge doctor`: checks a project's addon set-up and the daemon that serves it. */
export function addDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check a Godot project (addon, plugin, autoload, token) and the daemon that serves it; ' +
        'exits with status 1 when something is wrong.',
    )
    .option('--project <dir>', 'folder of the Godot project (default: the current folder)')
    .option(
      '--url <url>',
      "daemon URL such as http://127.0.0.1:8080 (default: the project's discovery file)",
    )
    .option('--token <token>', "pairing token (default: the project's token file)")
    .option('--json', 'print the findings as JSON')
    .action(async (options: DoctorCommandOptions) => {
      const projectDir = options.project ?? process.env.GODOT_BRIDGE_PROJECT ?? '.';
      const checks = await runDoctor({ projectDir, url: options.url, token: options.token });
      const failed = doctorFailed(checks);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ success: !failed, checks }, null, 2)}\n`
          : formatChecks(checks),
      );
      if (failed) process.exitCode = 1;
    });
}

const labels: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/** Formats one line per check, a `fix:` line under each problem, and a closing count. */
export function formatChecks(checks: DoctorCheck[]): string {
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${labels[check.status]}  ${check.message}`);
    if (check.fix && check.status !== 'ok') lines.push(`      fix: ${check.fix}`);
  }
  const failures = checks.filter((check) => check.status === 'fail').length;
  const warnings = checks.filter((check) => check.status === 'warn').length;
  lines.push(
    failures === 0
      ? `No problems found${warnings > 0 ? ` (${warnings} warning(s))` : ''}.`
      : `${failures} problem(s) found${warnings > 0 ? `, ${warnings} warning(s)` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
