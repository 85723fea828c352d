/** Token kinds of the Godot variant grammar (the tokenizer in core/variant/variant_parser.cpp). */
export enum TokenType {
  CurlyOpen,
  CurlyClose,
  BracketOpen,
  BracketClose,
  ParenOpen,
  ParenClose,
  Identifier,
  String,
  StringName,
  Number,
  Color,
  Colon,
  Comma,
  Period,
  Equal,
  Eof,
}

const TOKEN_NAMES: readonly string[] = [
  "'{'",
  "'}'",
  "'['",
  "']'",
  "'('",
  "')'",
  'identifier',
  'string',
  'string name',
  'number',
  'color',
  "':'",
  "','",
  "'.'",
  "'='",
  'end of file',
];

/** Returns the name of a token kind as it appears in error messages. */
export function tokenName(type: TokenType): string {
  return TOKEN_NAMES[type] ?? 'token';
}
