import { excerptAt, ParseError, type ParseErrorCode } from './parse-error.js';
import { TokenType } from './tokens.js';

const CH_NEWLINE = 10;
const CH_QUOTE = 34;
const CH_HASH = 35;
const CH_AMP = 38;
const CH_PAREN_OPEN = 40;
const CH_PAREN_CLOSE = 41;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_PERIOD = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_SEMICOLON = 59;
const CH_EQUAL = 61;
const CH_AT = 64;
const CH_BRACKET_OPEN = 91;
const CH_BACKSLASH = 92;
const CH_BRACKET_CLOSE = 93;
const CH_CURLY_OPEN = 123;
const CH_CURLY_CLOSE = 125;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** 1 for identifier-start characters (A-Z, a-z, _), 2 for digits; indexed by char code. */
const WORD_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) WORD_CHARS[c] = 1;
  else if (c >= CH_0 && c <= CH_9) WORD_CHARS[c] = 2;
}

function isIdentifierStart(c: number): boolean {
  return c < 128 && WORD_CHARS[c] === 1;
}

function isIdentifierPart(c: number): boolean {
  return c < 128 && WORD_CHARS[c] !== 0;
}

/** Powers of ten that a double represents exactly (10^0 to 10^22). */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Digit count below which a decimal mantissa fits a double exactly (< 2^53). */
const FAST_PATH_DIGITS = 15;

function hexDigitValue(c: number): number {
  if (c >= CH_0 && c <= CH_9) return c - CH_0;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

/**
 * Tokenizer for the Godot variant grammar. It works in one forward pass over
 * the source and keeps only the current token in its fields, so lexing is
 * linear in the input size and allocates nothing for punctuation.
 */
export class Lexer {
  pos = 0;
  line = 1;
  lineStart = 0;

  type: TokenType = TokenType.Eof;
  tokenStart = 0;
  tokenLine = 1;
  tokenColumn = 1;
  /** Identifier text, or the decoded value of a string or StringName token. */
  text = '';
  /** Value of a number token. */
  number = 0;
  /** Whether the number token had a `.` or an exponent. */
  isFloat = false;
  /** Source text of a colour token. */
  raw = '';
  /** End offset of the number token; its text is source.slice(tokenStart, numberEnd). */
  numberEnd = 0;

  constructor(readonly source: string) {}

  /** Source text of the current number token. */
  numberText(): string {
    return this.source.slice(this.tokenStart, this.numberEnd);
  }

  /** Throws a ParseError at the start of the current token. */
  fail(reason: string, code: ParseErrorCode = 'PARSE_ERROR'): never {
    throw this.errorAt(reason, this.tokenStart, code);
  }

  /** Builds a ParseError for a source offset, with line and column computed from it. */
  errorAt(reason: string, offset: number, code: ParseErrorCode = 'PARSE_ERROR'): ParseError {
    const { line, column } = this.positionOf(offset);
    return new ParseError(code, reason, line, column, excerptAt(this.source, offset));
  }

  /** Computes the line and column of an offset at or before the lexer's position. */
  positionOf(offset: number): { line: number; column: number } {
    if (offset >= this.lineStart) {
      return { line: this.line, column: offset - this.lineStart + 1 };
    }
    let line = this.line;
    let index = this.lineStart - 1;
    while (index >= offset) {
      if (this.source.charCodeAt(index) === CH_NEWLINE) line--;
      index--;
    }
    const start = this.source.lastIndexOf('\n', offset - 1) + 1;
    return { line, column: offset - start + 1 };
  }

  /** Reads the next token into this lexer's fields and returns its type. */
  next(): TokenType {
    const src = this.source;
    const length = src.length;
    let pos = this.pos;

    for (;;) {
      if (pos >= length) {
        this.pos = pos;
        return this.begin(TokenType.Eof, pos);
      }
      const c = src.charCodeAt(pos);
      if (c === CH_NEWLINE) {
        pos++;
        this.line++;
        this.lineStart = pos;
      } else if (c === CH_SEMICOLON) {
        const end = src.indexOf('\n', pos);
        pos = end < 0 ? length : end;
      } else if (c <= 32 && c !== 0) {
        pos++;
      } else {
        this.pos = pos;
        return this.readToken(c);
      }
    }
  }

  private begin(type: TokenType, start: number): TokenType {
    this.type = type;
    this.tokenStart = start;
    this.tokenLine = this.line;
    this.tokenColumn = start - this.lineStart + 1;
    return type;
  }

  private punctuation(type: TokenType): TokenType {
    this.begin(type, this.pos);
    this.pos++;
    return type;
  }

  private readToken(c: number): TokenType {
    switch (c) {
      case CH_CURLY_OPEN:
        return this.punctuation(TokenType.CurlyOpen);
      case CH_CURLY_CLOSE:
        return this.punctuation(TokenType.CurlyClose);
      case CH_BRACKET_OPEN:
        return this.punctuation(TokenType.BracketOpen);
      case CH_BRACKET_CLOSE:
        return this.punctuation(TokenType.BracketClose);
      case CH_PAREN_OPEN:
        return this.punctuation(TokenType.ParenOpen);
      case CH_PAREN_CLOSE:
        return this.punctuation(TokenType.ParenClose);
      case CH_COLON:
        return this.punctuation(TokenType.Colon);
      case CH_COMMA:
        return this.punctuation(TokenType.Comma);
      case CH_PERIOD:
        return this.punctuation(TokenType.Period);
      case CH_EQUAL:
        return this.punctuation(TokenType.Equal);
      case CH_HASH:
        return this.readColor();
      case CH_QUOTE:
        this.begin(TokenType.String, this.pos);
        this.text = this.readStringBody(this.pos + 1);
        return TokenType.String;
      case CH_AMP:
      case CH_AT:
        return this.readStringName();
      default:
        return this.readWord(c);
    }
  }

  private readColor(): TokenType {
    const start = this.pos;
    this.begin(TokenType.Color, start);
    let end = start + 1;
    while (end < this.source.length && hexDigitValue(this.source.charCodeAt(end)) >= 0) end++;
    this.raw = this.source.slice(start, end);
    this.pos = end;
    return TokenType.Color;
  }

  private readStringName(): TokenType {
    const start = this.pos;
    this.begin(TokenType.StringName, start);
    if (this.source.charCodeAt(start + 1) !== CH_QUOTE) {
      this.fail(`Expected '"' after '${this.source[start]}'`);
    }
    this.text = this.readStringBody(start + 2);
    this.type = TokenType.StringName;
    return TokenType.StringName;
  }

  /**
   * Decodes a string body that starts at `from` (just after the opening quote)
   * and leaves `pos` after the closing quote. Runs without escapes are copied
   * with one slice each, so long strings cost linear time.
   */
  private readStringBody(from: number): string {
    const src = this.source;
    const length = src.length;
    const parts: string[] = [];
    let runStart = from;
    let pos = from;
    let pendingLead = 0;

    for (;;) {
      if (pos >= length) throw this.errorAt('Unterminated string', this.tokenStart);
      const c = src.charCodeAt(pos);
      if (c === CH_QUOTE) {
        if (pendingLead) throw this.unpairedSurrogate(pos);
        parts.push(src.slice(runStart, pos));
        this.pos = pos + 1;
        return parts.length === 1 ? parts[0]! : parts.join('');
      }
      if (c === CH_BACKSLASH) {
        if (pos + 1 >= length) throw this.errorAt('Unterminated string', this.tokenStart);
        parts.push(src.slice(runStart, pos));
        const escape = this.readEscape(pos);
        pos = escape.end;
        runStart = pos;
        if (escape.code >= 0xd800 && escape.code <= 0xdbff) {
          if (pendingLead) throw this.unpairedSurrogate(pos);
          pendingLead = escape.code;
          continue;
        }
        if (escape.code >= 0xdc00 && escape.code <= 0xdfff) {
          if (!pendingLead) throw this.errorAt('Unpaired trail surrogate in string', pos);
          parts.push(String.fromCharCode(pendingLead, escape.code));
          pendingLead = 0;
          continue;
        }
        if (pendingLead) throw this.unpairedSurrogate(pos);
        parts.push(escape.text ?? String.fromCodePoint(escape.code));
        continue;
      }
      if (pendingLead) throw this.unpairedSurrogate(pos);
      if (c === CH_NEWLINE) {
        this.line++;
        this.lineStart = pos + 1;
      }
      pos++;
    }
  }

  private unpairedSurrogate(offset: number): ParseError {
    return this.errorAt('Unpaired lead surrogate in string', offset);
  }

  /** Decodes the escape sequence whose backslash is at `at`. */
  private readEscape(at: number): { code: number; text?: string; end: number } {
    const src = this.source;
    const letter = src[at + 1]!;
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) return { code: simple.charCodeAt(0), end: at + 2 };
    if (letter !== 'u' && letter !== 'U') {
      const code = src.codePointAt(at + 1)!;
      if (code === CH_NEWLINE) {
        this.line++;
        this.lineStart = at + 2;
      }
      return { code, text: String.fromCodePoint(code), end: at + 1 + (code > 0xffff ? 2 : 1) };
    }

    const digits = letter === 'U' ? 6 : 4;
    let code = 0;
    for (let i = 0; i < digits; i++) {
      const offset = at + 2 + i;
      if (offset >= src.length) throw this.errorAt('Unterminated string', this.tokenStart);
      const value = hexDigitValue(src.charCodeAt(offset));
      if (value < 0) throw this.errorAt('Malformed hex constant in string', offset);
      code = code * 16 + value;
    }
    if (code > 0x10ffff) throw this.errorAt('Invalid code point in string', at);
    return { code, end: at + 2 + digits };
  }

  private readWord(first: number): TokenType {
    const src = this.source;
    const start = this.pos;
    let pos = start;
    let c = first;
    if (c === CH_MINUS) {
      pos++;
      c = src.charCodeAt(pos);
    }
    if (isDigit(c)) return this.readNumber(start, pos);
    if (!isIdentifierStart(c)) {
      this.begin(TokenType.Eof, start);
      this.fail(c === 0 ? 'Unexpected NUL character' : 'Unexpected character');
    }
    pos++;
    while (pos < src.length && isIdentifierPart(src.charCodeAt(pos))) pos++;
    this.begin(TokenType.Identifier, start);
    this.text = src.slice(start, pos);
    this.pos = pos;
    return TokenType.Identifier;
  }

  /** Reads a number with the engine's rules: `.` or an exponent makes it a float. */
  private readNumber(start: number, digitsStart: number): TokenType {
    const src = this.source;
    const length = src.length;
    let pos = digitsStart;
    let isFloat = false;
    let mantissa = 0;
    let digits = 0;
    let fractionDigits = 0;
    let exponent = 0;

    let c = src.charCodeAt(pos);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - CH_0);
      digits++;
      c = src.charCodeAt(++pos);
    }
    if (c === CH_PERIOD) {
      isFloat = true;
      c = src.charCodeAt(++pos);
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - CH_0);
        digits++;
        fractionDigits++;
        c = src.charCodeAt(++pos);
      }
    }
    if (c === 101 || c === 69) {
      isFloat = true;
      c = src.charCodeAt(++pos);
      let sign = 1;
      if (c === 43 || c === CH_MINUS) {
        sign = c === CH_MINUS ? -1 : 1;
        c = src.charCodeAt(++pos);
      }
      let value = 0;
      while (pos < length && isDigit(c)) {
        value = Math.min(value * 10 + (c - CH_0), 1e6);
        c = src.charCodeAt(++pos);
      }
      exponent = sign * value;
    }

    this.begin(TokenType.Number, start);
    this.numberEnd = pos;
    this.isFloat = isFloat;
    this.pos = pos;
    const negative = src.charCodeAt(start) === CH_MINUS;
    const scale = exponent - fractionDigits;
    if (digits <= FAST_PATH_DIGITS && scale >= -22 && scale <= 22) {
      // Both operands are exact doubles, so one multiply or divide rounds correctly.
      const magnitude =
        scale < 0
          ? mantissa / EXACT_POWERS_OF_TEN[-scale]!
          : mantissa * EXACT_POWERS_OF_TEN[scale]!;
      this.number = negative ? -magnitude : magnitude;
    } else {
      const raw = src.slice(start, pos);
      const parsed = Number(raw);
      this.number = Number.isNaN(parsed) ? parseFloat(raw) : parsed;
    }
    return TokenType.Number;
  }

  /**
   * Reads what comes next at statement level: a `[` that opens a section, a
   * property key up to its `=`, or the end of the file. Mirrors the engine's
   * key rules: whitespace inside a key is dropped and a quoted key replaces
   * what was read before it.
   */
  readStatement(): StatementStart {
    const src = this.source;
    const length = src.length;
    // Most keys are one run of non-blank characters, sliced once; `parts` is
    // only used for keys with blanks, comments or quotes inside.
    let parts: string[] | undefined;
    let endedRunStart = -1;
    let endedRunEnd = -1;
    let pos = this.pos;
    let runStart = -1;
    let keyStart = -1;

    for (;;) {
      if (pos >= length) {
        this.pos = pos;
        if (keyStart >= 0) throw this.errorAt("Expected '=' after property name", keyStart);
        return { kind: 'eof' };
      }
      const c = src.charCodeAt(pos);
      if (c === CH_SEMICOLON) {
        if (parts === undefined && endedRunStart >= 0)
          parts = [src.slice(endedRunStart, endedRunEnd)];
        if (runStart >= 0) (parts ??= []).push(src.slice(runStart, pos));
        runStart = -1;
        const end = src.indexOf('\n', pos);
        pos = end < 0 ? length : end;
        continue;
      }
      if (c === CH_BRACKET_OPEN && keyStart < 0) {
        this.pos = pos;
        return { kind: 'section', line: this.line, column: pos - this.lineStart + 1 };
      }
      if (c === CH_EQUAL) {
        this.pos = pos + 1;
        if (keyStart < 0) throw this.errorAt("Expected property name before '='", pos);
        let key: string;
        if (parts === undefined) {
          key = runStart >= 0 ? src.slice(runStart, pos) : src.slice(endedRunStart, endedRunEnd);
        } else {
          if (runStart >= 0) parts.push(src.slice(runStart, pos));
          key = parts.join('');
        }
        const { line, column } = this.positionOf(keyStart);
        return { kind: 'property', key, line, column };
      }
      if (c === CH_QUOTE) {
        if (keyStart < 0) keyStart = pos;
        this.pos = pos;
        this.begin(TokenType.String, pos);
        parts = [this.readStringBody(pos + 1)];
        runStart = -1;
        pos = this.pos;
        continue;
      }
      if (c <= 32) {
        if (c === 0) throw this.errorAt('Unexpected NUL character', pos);
        if (runStart >= 0) {
          if (parts === undefined && endedRunStart < 0) {
            endedRunStart = runStart;
            endedRunEnd = pos;
          } else {
            (parts ??= []).push(src.slice(runStart, pos));
          }
        }
        runStart = -1;
        if (c === CH_NEWLINE) {
          this.line++;
          this.lineStart = pos + 1;
        }
      } else {
        if (keyStart < 0) keyStart = pos;
        if (runStart < 0) {
          runStart = pos;
          if (parts === undefined && endedRunStart >= 0) {
            parts = [src.slice(endedRunStart, endedRunEnd)];
          }
        }
      }
      pos++;
    }
  }

  /**
   * Reads a ConfigFile section name: the raw text up to the next unescaped
   * `]`, trimmed. `pos` must be just after the `[`.
   */
  readRawSectionName(): string {
    const src = this.source;
    const start = this.pos;
    let pos = start;
    let escaping = false;
    for (;;) {
      if (pos >= src.length) throw this.errorAt('Unexpected end of file in section name', start);
      const c = src.charCodeAt(pos);
      if (c === CH_BRACKET_CLOSE && !escaping) break;
      escaping = c === CH_BACKSLASH && !escaping;
      if (c === CH_NEWLINE) {
        this.line++;
        this.lineStart = pos + 1;
      }
      pos++;
    }
    this.pos = pos + 1;
    return src.slice(start, pos).trim();
  }
}

/** Start of the next statement, as returned by {@link Lexer.readStatement}. */
export type StatementStart =
  | { kind: 'eof' }
  | { kind: 'section'; line: number; column: number }
  | { kind: 'property'; key: string; line: number; column: number };
