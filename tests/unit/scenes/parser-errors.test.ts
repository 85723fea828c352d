import { ParseError, parseTextResource } from '../../../daemon/src/scenes/parser/index.js';

function parseFailure(source: string, maxDepth?: number): ParseError {
  try {
    parseTextResource(source, { maxDepth });
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

const HEADER = '[gd_scene format=3]\n';

describe('parser errors', () => {
  test('format 5 is rejected with its position', () => {
    const error = parseFailure('[gd_scene load_steps=2 format=5]\n[node name="A" type="Node"]\n');
    expect(error.code).toBe('FORMAT_TOO_NEW');
    expect(error.line).toBe(1);
    expect(error.column).toBe(31);
    expect(error.reason).toMatch(/newer format version 5/);
  });

  test('unknown first tag is unrecognized', () => {
    const error = parseFailure('[node name="A"]\n');
    expect(error.code).toBe('UNRECOGNIZED_FILE_TYPE');
    expect(error.line).toBe(1);
  });

  test('truncated file reports the unterminated string', () => {
    const error = parseFailure(`${HEADER}[node name="A" type="Node"]\ntext = "never closed\n`);
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.reason).toBe('Unterminated string');
    expect(error.line).toBe(3);
    expect(error.column).toBe(8);
  });

  test('truncated section reports end of file', () => {
    const error = parseFailure(`${HEADER}[node name="A" type=`);
    expect(error.reason).toMatch(/Expected value/);
    expect(error.line).toBe(2);
  });

  test('wrong argument count is an error', () => {
    const error = parseFailure(
      `${HEADER}[node name="A" type="Node2D"]\nposition = Vector2(1, 2, 3)\n`,
    );
    expect(error.reason).toMatch(/Expected 2 arguments/);
    expect(error.line).toBe(3);
  });

  test('unknown identifier is an error', () => {
    const error = parseFailure(`${HEADER}[node name="A" type="Node"]\nv = Vector9(1)\n`);
    expect(error.reason).toBe("Unexpected identifier 'Vector9'");
    expect(error.column).toBe(5);
  });

  test('invalid base64 is an error', () => {
    const error = parseFailure(
      `${HEADER}[node name="A" type="Node"]\nv = PackedByteArray("@@@@")\n`,
    );
    expect(error.reason).toBe('Invalid base64-encoded string');
  });

  test('unpaired surrogate escape is an error', () => {
    const error = parseFailure(`${HEADER}[node name="A" type="Node"]\nv = "\\ud800x"\n`);
    expect(error.reason).toMatch(/surrogate/);
  });

  test('excerpt is short on long lines', () => {
    const long = 'x'.repeat(5000);
    const error = parseFailure(`${HEADER}[node name="A" type="Node"]\nv = "${long}" bad\n`);
    expect(error.excerpt.length).toBeLessThanOrEqual(82);
    expect(error.message.length).toBeLessThan(200);
  });

  test('deep nesting gives a depth error', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const error = parseFailure(`${HEADER}[node name="A" type="Node"]\nv = ${deep}\n`);
    expect(error.code).toBe('DEPTH_LIMIT');
    expect(error.line).toBe(3);
  });

  test('depth limit is an option', () => {
    const source = `${HEADER}[node name="A" type="Node"]\nv = [[[1]]]\n`;
    expect(parseFailure(source, 2).code).toBe('DEPTH_LIMIT');
    expect(parseTextResource(source, { maxDepth: 3 }).nodes).toHaveLength(1);
  });

  test('invalid depth option is rejected', () => {
    expect(() => parseTextResource(HEADER, { maxDepth: 0 })).toThrow(/maxDepth must be an integer/);
  });
});

describe('parser structure issues', () => {
  test('sections out of order are reported', () => {
    const file = parseTextResource(
      `${HEADER}[node name="A" type="Node"]\n[ext_resource type="Script" path="res://a.gd" id="1"]\n`,
    );
    expect(file.issues).toEqual([
      expect.objectContaining({ code: 'SECTION_ORDER', line: 3, column: 1 }),
    ]);
  });

  test('missing required fields are reported', () => {
    const file = parseTextResource(
      `${HEADER}[ext_resource path="res://a.gd" id="1"]\n[node name="A" type="Node"]\n`,
    );
    expect(file.issues[0]).toMatchObject({ code: 'MISSING_REQUIRED_FIELD', line: 2 });
    expect(file.issues[0]!.message).toMatch(/'type'/);
  });

  test('unknown sections are reported', () => {
    const file = parseTextResource(`${HEADER}[node name="A" type="Node"]\n[mystery]\n`);
    expect(file.issues[0]).toMatchObject({ code: 'UNKNOWN_SECTION', line: 3 });
  });

  test('resource section in a scene is reported', () => {
    const file = parseTextResource(`${HEADER}[resource]\n`);
    expect(file.issues[0]).toMatchObject({ code: 'RESOURCE_SECTION_IN_SCENE' });
  });
});
