/** Stable codes carried by {@link ParseError}. */
export type ParseErrorCode =
  'PARSE_ERROR' | 'DEPTH_LIMIT' | 'FORMAT_TOO_NEW' | 'UNRECOGNIZED_FILE_TYPE';

/** Longest excerpt, in characters, that an error carries from the source line. */
const EXCERPT_WIDTH = 80;

/**
 * A syntax or header error in a Godot text file, with the 1-based line and
 * column where it was found and a short excerpt of that line.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';

  constructor(
    readonly code: ParseErrorCode,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly excerpt: string,
  ) {
    super(`${reason} at line ${line}, column ${column}: ${excerpt}`);
  }
}

/**
 * Cuts the source line that contains `offset` down to at most EXCERPT_WIDTH
 * characters around that offset, so an error never carries the whole file.
 */
export function excerptAt(source: string, offset: number): string {
  const at = Math.min(Math.max(offset, 0), source.length);
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd < 0) lineEnd = source.length;

  const from = Math.max(lineStart, at - EXCERPT_WIDTH / 2);
  const to = Math.min(lineEnd, from + EXCERPT_WIDTH);
  const text = source.slice(from, to).replace(/\r$/, '');
  const prefix = from > lineStart ? '…' : '';
  const suffix = to < lineEnd ? '…' : '';
  return `${prefix}${text}${suffix}`;
}
