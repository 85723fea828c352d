import type { Command } from 'commander';
import path from 'node:path';
import {
  ProjectFileError,
  installAddon,
  installChangedNothing,
  type InstallReport,
} from '../install/install-addon.js';

/** `godot-bridge install-addon [PROJECT_DIR]`: copies the addon and enables it. */
export function addInstallAddonCommand(program: Command): void {
  program
    .command('install-addon')
    .description(
      'Copy the Godot addon into a project, enable its plugin and add its autoload in project.godot.',
    )
    .argument('[project_dir]', 'folder of the Godot 4 project (holds project.godot)', '.')
    .action((projectDir: string) => {
      let report: InstallReport;
      try {
        report = installAddon({ projectDir });
      } catch (error) {
        if (!(error instanceof ProjectFileError)) throw error;
        process.stderr.write(`godot-bridge: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(formatInstallReport(path.resolve(projectDir), report));
    });
}

/** Formats the lines install-addon prints: each change, or that nothing changed. */
export function formatInstallReport(projectDir: string, report: InstallReport): string {
  const addonDir = path.relative(projectDir, report.addonDir) || '.';
  if (installChangedNothing(report)) {
    return `Nothing to change: the addon in ${addonDir} is up to date, enabled and autoloaded.\n`;
  }
  const lines: string[] = [];
  if (report.linked) lines.push(`${addonDir} is a link to this package's addon; copied nothing.`);
  for (const file of report.added) lines.push(`added   ${addonDir}/${file}`);
  for (const file of report.updated) lines.push(`updated ${addonDir}/${file}`);
  for (const change of report.projectChanges) lines.push(`project.godot: ${change}`);
  const shownDir = /\s/.test(projectDir) ? JSON.stringify(projectDir) : projectDir;
  lines.push(
    `Done. Start the daemon with \`npx godot-bridge start --project ${shownDir}\`, ` +
      'then open the project in Godot or run the game.',
  );
  return `${lines.join('\n')}\n`;
}
