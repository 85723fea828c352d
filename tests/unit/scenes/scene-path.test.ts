import { BridgeError } from '../../../daemon/src/errors/catalogue.js';
import { checkScenePath, SceneAllowList } from '../../../daemon/src/scenes/scene-path.js';

describe('checkScenePath', () => {
  test.each(['res://main.tscn', 'res://scenes/levels/level_1.scn', 'res://a b/ü.tscn'])(
    '%s passes',
    (value) => {
      expect(checkScenePath(value)).toBe(value);
    },
  );

  test.each([
    [''],
    ['res://x/../y.tscn'],
    ['res://x/..'],
    ['res://x\\y.tscn'],
    ['res://x%2fy.tscn'],
    ['res://x\ty.tscn'],
    ['res://x\u007fy.tscn'],
    ['user://x.tscn'],
    ['/abs/x.tscn'],
    ['C:/x.tscn'],
    ['res://x.tres'],
    ['res://x.TSCN.gd'],
    ['res:///x.tscn'],
  ])('%j is rejected', (value) => {
    expect(() => checkScenePath(value)).toThrow(BridgeError);
  });

  test('non-string is rejected', () => {
    expect(() => checkScenePath(42)).toThrow(/non-empty string/);
  });
});

describe('SceneAllowList', () => {
  const list = new SceneAllowList(['res://scenes/**/*.tscn', 'res://menu.tscn']);

  test('matches the patterns', () => {
    expect(list.allows('res://scenes/a.tscn')).toBe(true);
    expect(list.allows('res://scenes/deep/er/a.tscn')).toBe(true);
    expect(list.allows('res://menu.tscn')).toBe(true);
    expect(list.allows('res://levels/a.tscn')).toBe(false);
    expect(list.allows('res://scenes/a.scn')).toBe(false);
  });

  test('check names the patterns', () => {
    expect(() => list.check('res://levels/a.tscn')).toThrow(/res:\/\/scenes\/\*\*\/\*\.tscn/);
  });
});
