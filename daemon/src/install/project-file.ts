import {
  configValue,
  parseConfigFile,
  textOf,
  type ConfigFile,
  type Property,
  type Section,
} from '../scenes/parser/index.js';

/** The `config_version` of a Godot 4 project.godot; Godot 3 writes 4. */
export const godot4ConfigVersion = 5;

/** Raised when project.godot cannot be edited safely; the message names the fix. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
}

/** The result of one edit: the new text, and what changed in words (null when nothing did). */
export interface ProjectFileEdit {
  text: string;
  change: string | null;
}

/**
 * Parses project.godot and checks that it is a Godot 4 file. Raises
 * ProjectFileError for a parse error, a Godot 3 file or a missing version.
 */
export function parseGodot4Project(text: string, file: string): ConfigFile {
  let config: ConfigFile;
  try {
    config = parseConfigFile(text);
  } catch (error) {
    throw new ProjectFileError(
      `${file} could not be parsed: ${(error as Error).message}. Fix the line it names, or let ` +
        'the Godot editor save the project once.',
    );
  }
  const version = configValue(config, '', 'config_version');
  const number = version?.kind === 'int' ? version.value : undefined;
  if (number === undefined) {
    throw new ProjectFileError(
      `${file} has no config_version line, so it is not a Godot 4 project file. Open the ` +
        'project in Godot 4 and save it once.',
    );
  }
  if (number < godot4ConfigVersion) {
    throw new ProjectFileError(
      `${file} has config_version=${number}, which is a Godot 3 project. The addon needs ` +
        `Godot 4 (config_version=${godot4ConfigVersion}): convert the project with Godot 4's ` +
        'project converter first.',
    );
  }
  if (number > godot4ConfigVersion) {
    throw new ProjectFileError(
      `${file} has config_version=${number}, newer than the Godot 4 format this tool edits ` +
        `(config_version=${godot4ConfigVersion}). Update godot-bridge.`,
    );
  }
  return config;
}

/**
 * Adds `pluginCfg` to `[editor_plugins] enabled`, creating the list or the
 * section when missing. Only the `enabled=` line is rewritten; every other
 * byte of the file stays as it was.
 */
export function enableEditorPlugin(text: string, pluginCfg: string): ProjectFileEdit {
  const config = parseConfigFile(text);
  const found = findLastProperty(config, 'editor_plugins', 'enabled');
  const entry = `enabled=PackedStringArray(${godotString(pluginCfg)})`;
  if (!found) {
    return {
      text: addProperty(text, config, 'editor_plugins', entry),
      change: `enabled the plugin ${pluginCfg} in [editor_plugins]`,
    };
  }

  const { property } = found;
  let plugins: string[];
  if (property.value.kind === 'PackedStringArray') {
    plugins = property.value.values;
  } else if (property.value.kind === 'array') {
    plugins = property.value.items.map((item) => textOf(item) ?? '');
  } else {
    throw new ProjectFileError(
      `[editor_plugins] enabled on line ${property.line} has type ${property.value.kind}, not a ` +
        'list of plugin.cfg paths. Fix it to PackedStringArray(...) or enable the plugin in ' +
        'the Godot editor under Project Settings, Plugins.',
    );
  }
  if (plugins.includes(pluginCfg)) return { text, change: null };

  const list = [...plugins, pluginCfg].map(godotString).join(', ');
  return {
    text: replacePropertyLines(text, config, found, `enabled=PackedStringArray(${list})`),
    change: `enabled the plugin ${pluginCfg} in [editor_plugins] (kept ${plugins.length} other ${plugins.length === 1 ? 'plugin' : 'plugins'})`,
  };
}

/**
 * Adds the autoload `name="*path"` to `[autoload]`, creating the section when
 * missing. An autoload of the same name that points elsewhere, or that is not
 * a singleton, is rewritten. An autoload of another name that loads the same
 * script already counts as present.
 */
export function addAutoload(text: string, name: string, scriptPath: string): ProjectFileEdit {
  const config = parseConfigFile(text);
  const expected = `*${scriptPath}`;
  const entry = `${name}=${godotString(expected)}`;
  const found = findLastProperty(config, 'autoload', name);
  if (found) {
    const current = textOf(found.property.value);
    if (current === expected) return { text, change: null };
    return {
      text: replacePropertyLines(text, config, found, entry),
      change: `changed the autoload ${name} from ${JSON.stringify(current ?? found.property.value.kind)} to "${expected}"`,
    };
  }
  const sameScript = config.sections
    .filter((section) => section.name === 'autoload')
    .flatMap((section) => section.properties)
    .find((property) => textOf(property.value) === expected);
  if (sameScript) return { text, change: null };

  return {
    text: addProperty(text, config, 'autoload', entry),
    change: `added the autoload ${name}="${expected}" in [autoload]`,
  };
}

/** Writes a string the way Godot's ConfigFile does: double quotes, `\` and `"` escaped. */
export function godotString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface FoundProperty {
  section: Section;
  property: Property;
}

function findLastProperty(config: ConfigFile, section: string, key: string) {
  let found: FoundProperty | undefined;
  for (const candidate of config.sections) {
    if (candidate.name !== section) continue;
    for (const property of candidate.properties) {
      if (property.key === key) found = { section: candidate, property };
    }
  }
  return found;
}

/**
 * Offsets of each line of a text, so edits splice whole lines and leave the
 * rest byte for byte, whatever its line endings.
 */
class Lines {
  private readonly starts: number[] = [0];
  readonly eol: string;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n' && i + 1 < text.length) this.starts.push(i + 1);
    }
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get count(): number {
    return this.text.length === 0 ? 0 : this.starts.length;
  }

  /** Offset where 1-based `line` starts; `count + 1` is the end of the text. */
  start(line: number): number {
    return line <= this.count ? this.starts[line - 1]! : this.text.length;
  }

  content(line: number): string {
    return this.text.slice(this.start(line), this.start(line + 1)).replace(/\r?\n$/, '');
  }

  /** Tells whether a line is empty or a `;` comment. */
  isBlank(line: number): boolean {
    const content = this.content(line).trim();
    return content === '' || content.startsWith(';');
  }
}

/**
 * Finds the last line of a property's value: the line before the next property
 * or section, less trailing blank and `;` comment lines.
 */
function lastLineOf(lines: Lines, config: ConfigFile, property: Property): number {
  const laterStarts = [
    ...config.leading.map((p) => p.line),
    ...config.sections.flatMap((s) => [s.line, ...s.properties.map((p) => p.line)]),
  ].filter((line) => line > property.line);
  let last = (laterStarts.length > 0 ? Math.min(...laterStarts) : lines.count + 1) - 1;
  while (last > property.line && lines.isBlank(last)) last--;
  return last;
}

function replacePropertyLines(
  text: string,
  config: ConfigFile,
  found: FoundProperty,
  replacement: string,
): string {
  const lines = new Lines(text);
  const first = found.property.line;
  const last = lastLineOf(lines, config, found.property);
  const endsWithNewline = /\r?\n$/.test(text.slice(lines.start(last), lines.start(last + 1)));
  return (
    text.slice(0, lines.start(first)) +
    replacement +
    (endsWithNewline ? lines.eol : '') +
    text.slice(lines.start(last + 1))
  );
}

/**
 * Adds `line` at the end of the last section called `sectionName`, or adds
 * the section where the Godot editor would write it: sections in code point
 * order, as ProjectSettings saves them.
 */
function addProperty(text: string, config: ConfigFile, sectionName: string, line: string): string {
  const lines = new Lines(text);
  const { eol } = lines;
  const sections = config.sections.filter((section) => section.name === sectionName);
  const section = sections.at(-1);
  if (section) {
    const lastProperty = section.properties.at(-1);
    let after = lastProperty ? lastLineOf(lines, config, lastProperty) : section.line;
    // Godot writes a blank line between a section header and its first property.
    let prefix = '';
    if (!lastProperty) {
      if (after + 1 <= lines.count && lines.content(after + 1).trim() === '') after += 1;
      else prefix = eol;
    }
    const offset = lines.start(after + 1);
    const needsBreak = offset > 0 && !text.slice(0, offset).endsWith('\n');
    // Keep a blank line before whatever section header follows.
    const suffix = after + 1 <= lines.count && !lines.isBlank(after + 1) ? eol : '';
    const inserted = (needsBreak ? eol : '') + prefix + line + eol + suffix;
    return text.slice(0, offset) + inserted + text.slice(offset);
  }

  const block = `[${sectionName}]${eol}${eol}${line}${eol}`;
  const next = config.sections.find((candidate) => candidate.name > sectionName);
  if (next) {
    const offset = lines.start(next.line);
    return text.slice(0, offset) + block + eol + text.slice(offset);
  }
  let head = text;
  if (head.length > 0 && !head.endsWith('\n')) head += eol;
  if (head.length > 0 && !head.endsWith(`${eol}${eol}`)) head += eol;
  return head + block;
}
