import { readProjectInfo } from '../../../daemon/src/scenes/parser/index.js';
import { makeProject, removeProject } from './project-fixture.js';

describe('readProjectInfo', () => {
  test('reads name, main scene, autoloads and version', async () => {
    const dir = await makeProject({
      'project.godot': [
        '; Engine configuration file.',
        'config_version=5',
        '',
        '[application]',
        '',
        'config/name="Hand Demo"',
        'run/main_scene="uid://bmain"',
        'config/features=PackedStringArray("4.3", "Forward Plus")',
        '',
        '[autoload]',
        '',
        'Events="*res://autoload/events.gd"',
        'Loader="res://autoload/loader.tscn"',
        '',
        '[input]',
        '',
        'jump={"deadzone": 0.5, "events": [Object(InputEventKey,"resource_local_to_scene":false,"keycode":32)]}',
        '',
      ].join('\n'),
    });
    try {
      const info = await readProjectInfo(dir);
      expect(info.name).toBe('Hand Demo');
      expect(info.mainScene).toBe('uid://bmain');
      expect(info.configVersion).toBe(5);
      expect(info.features).toEqual(['4.3', 'Forward Plus']);
      expect(info.autoloads).toEqual([
        { name: 'Events', path: 'res://autoload/events.gd', singleton: true },
        { name: 'Loader', path: 'res://autoload/loader.tscn', singleton: false },
      ]);
    } finally {
      await removeProject(dir);
    }
  });

  test('missing project.godot rejects', async () => {
    const dir = await makeProject({});
    try {
      await expect(readProjectInfo(`${dir}/nothing`)).rejects.toThrow(/ENOENT/);
    } finally {
      await removeProject(dir);
    }
  });
});
