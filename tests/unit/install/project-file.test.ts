import {
  ProjectFileError,
  addAutoload,
  enableEditorPlugin,
  godotString,
  parseGodot4Project,
} from '../../../daemon/src/install/project-file.js';
import { parseConfigFile, projectInfoFrom } from '../../../daemon/src/scenes/parser/index.js';

const PLUGIN = 'res://addons/godot_bridge/plugin.cfg';
const SCRIPT = 'res://addons/godot_bridge/bridge.gd';

const header = '; Engine configuration file.\n\nconfig_version=5\n\n';

function info(text: string) {
  return projectInfoFrom(parseConfigFile(text));
}

/** Asserts that every line of `before` appears in `after` in the same order. */
function expectLinesKept(
  before: string,
  after: string,
  except: (line: string) => boolean = () => false,
) {
  const remaining = after.split(/\r?\n/);
  let position = 0;
  for (const line of before.split(/\r?\n/)) {
    if (except(line)) continue;
    const found = remaining.indexOf(line, position);
    expect({ line, found: found >= 0 }).toEqual({ line, found: true });
    position = found + 1;
  }
}

describe('enableEditorPlugin', () => {
  test('adds the section in sorted position', () => {
    const text = `${header}[application]\n\nconfig/name="A"\n\n[rendering]\n\nx=1\n`;
    const { text: out, change } = enableEditorPlugin(text, PLUGIN);
    expect(change).toContain(PLUGIN);
    expect(out).toBe(
      `${header}[application]\n\nconfig/name="A"\n\n[editor_plugins]\n\n` +
        `enabled=PackedStringArray("${PLUGIN}")\n\n[rendering]\n\nx=1\n`,
    );
    expect(info(out).enabledPlugins).toEqual([PLUGIN]);
  });

  test('appends the section at the end', () => {
    const text = `${header}[application]\n\nconfig/name="A"\n`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(out).toBe(`${text}\n[editor_plugins]\n\nenabled=PackedStringArray("${PLUGIN}")\n`);
  });

  test('appends to a file without a final newline', () => {
    const text = `${header}[application]\n\nconfig/name="A"`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(info(out).enabledPlugins).toEqual([PLUGIN]);
    expect(info(out).name).toBe('A');
  });

  test('extends an existing list and keeps its order', () => {
    const text = `${header}[editor_plugins]\n\nenabled=PackedStringArray("res://addons/a/plugin.cfg", "res://addons/b/plugin.cfg")\n\n[rendering]\n\nx=1\n`;
    const { text: out, change } = enableEditorPlugin(text, PLUGIN);
    expect(change).toContain('kept 2 other plugins');
    expect(info(out).enabledPlugins).toEqual([
      'res://addons/a/plugin.cfg',
      'res://addons/b/plugin.cfg',
      PLUGIN,
    ]);
    expectLinesKept(text, out, (line) => line.startsWith('enabled='));
  });

  test('fills an empty list', () => {
    const text = `${header}[editor_plugins]\n\nenabled=PackedStringArray()\n\n[physics]\n\ny=2\n`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(out).toBe(
      `${header}[editor_plugins]\n\nenabled=PackedStringArray("${PLUGIN}")\n\n[physics]\n\ny=2\n`,
    );
  });

  test('adds the key to a section without it', () => {
    const text = `${header}[editor_plugins]\n\n[physics]\n\ny=2\n`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(out).toBe(
      `${header}[editor_plugins]\n\nenabled=PackedStringArray("${PLUGIN}")\n\n[physics]\n\ny=2\n`,
    );
  });

  test('changes nothing when already enabled', () => {
    const text = `${header}[editor_plugins]\n\nenabled=PackedStringArray("${PLUGIN}")\n`;
    const result = enableEditorPlugin(text, PLUGIN);
    expect(result.change).toBeNull();
    expect(result.text).toBe(text);
  });

  test('keeps CRLF line endings', () => {
    const text = `config_version=5\r\n\r\n[application]\r\n\r\nconfig/name="A"\r\n`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(info(out).enabledPlugins).toEqual([PLUGIN]);
  });

  test('rejects an enabled value that is not a list', () => {
    const text = `${header}[editor_plugins]\n\nenabled=42\n`;
    expect(() => enableEditorPlugin(text, PLUGIN)).toThrow(ProjectFileError);
    expect(() => enableEditorPlugin(text, PLUGIN)).toThrow(/line 7 has type int/);
  });

  test('replaces a list that spans lines', () => {
    const text = `${header}[editor_plugins]\n\nenabled=PackedStringArray("res://a/plugin.cfg",\n"res://b/plugin.cfg")\n\n[rendering]\n\nx=1\n`;
    const out = enableEditorPlugin(text, PLUGIN).text;
    expect(info(out).enabledPlugins).toEqual(['res://a/plugin.cfg', 'res://b/plugin.cfg', PLUGIN]);
    expect(out).toContain('\n\n[rendering]\n\nx=1\n');
  });
});

describe('addAutoload', () => {
  test('appends to an existing section after the last entry', () => {
    const text = `${header}[autoload]\n\nMusic="*res://music.tscn"\nState="*res://state.gd"\n\n[display]\n\nz=3\n`;
    const { text: out, change } = addAutoload(text, 'GodotBridge', SCRIPT);
    expect(change).toContain('GodotBridge');
    expect(out).toBe(
      `${header}[autoload]\n\nMusic="*res://music.tscn"\nState="*res://state.gd"\n` +
        `GodotBridge="*${SCRIPT}"\n\n[display]\n\nz=3\n`,
    );
    expect(info(out).autoloads.map((a) => a.name)).toEqual(['Music', 'State', 'GodotBridge']);
  });

  test('creates the section before later sections', () => {
    const text = `${header}[application]\n\nconfig/name="A"\n\n[display]\n\nz=3\n`;
    const out = addAutoload(text, 'GodotBridge', SCRIPT).text;
    expect(out).toBe(
      `${header}[application]\n\nconfig/name="A"\n\n[autoload]\n\nGodotBridge="*${SCRIPT}"\n\n[display]\n\nz=3\n`,
    );
  });

  test('makes a non-singleton entry a singleton', () => {
    const text = `${header}[autoload]\n\nGodotBridge="${SCRIPT}"\n`;
    const { text: out, change } = addAutoload(text, 'GodotBridge', SCRIPT);
    expect(change).toContain('changed the autoload GodotBridge');
    expect(out).toBe(`${header}[autoload]\n\nGodotBridge="*${SCRIPT}"\n`);
  });

  test('counts the script under another name as present', () => {
    const text = `${header}[autoload]\n\nBridge="*${SCRIPT}"\n`;
    const result = addAutoload(text, 'GodotBridge', SCRIPT);
    expect(result.change).toBeNull();
    expect(result.text).toBe(text);
  });

  test('changes nothing when present', () => {
    const text = `${header}[autoload]\n\nGodotBridge="*${SCRIPT}"\n`;
    expect(addAutoload(text, 'GodotBridge', SCRIPT)).toEqual({ text, change: null });
  });
});

describe('parseGodot4Project', () => {
  test('accepts config_version=5', () => {
    expect(() => parseGodot4Project(header, 'project.godot')).not.toThrow();
  });

  test('rejects a Godot 3 file naming the version', () => {
    expect(() => parseGodot4Project('config_version=4\n', '/p/project.godot')).toThrow(
      /config_version=4, which is a Godot 3 project/,
    );
  });

  test('rejects a file without config_version', () => {
    expect(() => parseGodot4Project('[application]\n', 'project.godot')).toThrow(
      /no config_version/,
    );
  });

  test('rejects a newer format', () => {
    expect(() => parseGodot4Project('config_version=6\n', 'project.godot')).toThrow(
      /newer than the Godot 4 format/,
    );
  });

  test('rejects text that does not parse', () => {
    expect(() => parseGodot4Project('config_version=5\n[application\n', 'p.godot')).toThrow(
      /p.godot could not be parsed/,
    );
  });
});

test('godotString escapes quotes and backslashes', () => {
  expect(godotString('a"b\\c')).toBe('"a\\"b\\\\c"');
  expect(parseConfigFile(`k=${godotString('a"b\\c')}\n`).leading[0]?.value).toMatchObject({
    kind: 'string',
    value: 'a"b\\c',
  });
});
