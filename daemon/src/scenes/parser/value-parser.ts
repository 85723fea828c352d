import { decodeBase64 } from './base64.js';
import { parseHtmlColor } from './color.js';
import {
  BUILTIN_TYPE_NAMES,
  FLOAT_IDENTIFIERS,
  MATH_CONSTRUCTORS,
  PACKED_BYTE_NAMES,
  PACKED_NUMBER_CONSTRUCTORS,
  PACKED_STRING_NAMES,
} from './constructors.js';
import type { Lexer } from './lexer.js';
import { TokenType, tokenName } from './tokens.js';
import type {
  ArrayValue,
  ContainerType,
  DictionaryEntry,
  DictionaryValue,
  GodotValue,
  InlineResourceReference,
  IntValue,
  ObjectProperty,
  ObjectValue,
  ResourceIdReference,
  ResourceReference,
  SourcePosition,
} from './values.js';

/** Default maximum nesting of arrays, dictionaries and objects inside one value. */
export const DEFAULT_MAX_DEPTH = 128;

/** Largest nesting limit accepted, so the recursive parser stays far from the JS stack limit. */
export const MAX_DEPTH_LIMIT = 2048;

/**
 * Recursive-descent parser for Godot variant values. Every call starts on the
 * value's first token (already read) and ends on its last token. Nesting is
 * counted so hostile input fails with DEPTH_LIMIT rather than a stack overflow.
 */
export class ValueParser {
  /** Every ExtResource, SubResource and Resource reference met, in file order. */
  readonly references: ResourceReference[] = [];
  /** Index of the section being parsed, stored on each reference. */
  sectionIndex = -1;

  constructor(
    private readonly lexer: Lexer,
    private readonly maxDepth: number,
  ) {}

  /** Reads the next token and parses the value that starts there. */
  parseNext(depth = 0): GodotValue {
    this.lexer.next();
    return this.parseValue(depth);
  }

  /** Parses the value that starts at the current token. */
  parseValue(depth: number): GodotValue {
    const lx = this.lexer;
    const line = lx.tokenLine;
    const column = lx.tokenColumn;
    switch (lx.type) {
      case TokenType.Number:
        return this.numberValue(line, column);
      case TokenType.String:
        return { kind: 'string', value: lx.text, line, column };
      case TokenType.StringName:
        return { kind: 'string_name', value: lx.text, line, column };
      case TokenType.Color: {
        const components = parseHtmlColor(lx.raw) ?? [0, 0, 0, 1];
        return { kind: 'Color', components, line, column };
      }
      case TokenType.BracketOpen:
        return this.parseArrayBody({ line, column }, this.deeper(depth));
      case TokenType.CurlyOpen:
        return this.parseDictionaryBody({ line, column }, this.deeper(depth));
      case TokenType.Identifier:
        return this.parseIdentifierValue(lx.text, { line, column }, depth);
      default:
        return lx.fail(`Expected value, got ${tokenName(lx.type)}`);
    }
  }

  private deeper(depth: number): number {
    if (depth + 1 > this.maxDepth) {
      this.lexer.fail(`Values nested deeper than ${this.maxDepth} levels`, 'DEPTH_LIMIT');
    }
    return depth + 1;
  }

  private numberValue(line: number, column: number): GodotValue {
    const lx = this.lexer;
    if (lx.isFloat) return { kind: 'float', value: lx.number, line, column };
    const value: IntValue = { kind: 'int', value: lx.number, line, column };
    if (!Number.isSafeInteger(lx.number)) value.big = BigInt(lx.numberText());
    return value;
  }

  private expect(type: TokenType, context: string): void {
    if (this.lexer.next() !== type) {
      this.lexer.fail(`Expected ${tokenName(type)} ${context}, got ${tokenName(this.lexer.type)}`);
    }
  }

  private parseIdentifierValue(id: string, at: SourcePosition, depth: number): GodotValue {
    switch (id) {
      case 'true':
      case 'false':
        return { kind: 'bool', value: id === 'true', ...at };
      case 'null':
      case 'nil':
        return { kind: 'null', ...at };
      case 'NodePath':
        return { kind: 'node_path', value: this.parseSingleString('NodePath'), ...at };
      case 'RID':
        return this.parseRid(at);
      case 'Signal':
      case 'Callable':
        this.expect(TokenType.ParenOpen, `after ${id}`);
        this.expect(TokenType.ParenClose, `in ${id}()`);
        return { kind: id === 'Signal' ? 'signal' : 'callable', ...at };
      case 'Object':
        return this.parseObject(at, this.deeper(depth));
      case 'ExtResource':
      case 'SubResource':
        return this.parseIdReference(id, at);
      case 'Resource':
        this.expect(TokenType.ParenOpen, 'after Resource');
        return this.parseInlineResource(at);
      case 'Array':
        return this.parseTypedArray(at, this.deeper(depth));
      case 'Dictionary':
        return this.parseTypedDictionary(at, this.deeper(depth));
      default:
        return this.parseConstructor(id, at);
    }
  }

  private parseConstructor(id: string, at: SourcePosition): GodotValue {
    const lx = this.lexer;
    const float = FLOAT_IDENTIFIERS.get(id);
    if (float !== undefined) return { kind: 'float', value: float, ...at };

    const math = MATH_CONSTRUCTORS.get(id);
    if (math) {
      const components = this.parseNumberList();
      if (components.length !== math.arity) {
        lx.fail(`Expected ${math.arity} arguments for ${id}, got ${components.length}`);
      }
      return withAlias({ kind: math.kind, components, ...at }, id, math.kind);
    }
    const packed = PACKED_NUMBER_CONSTRUCTORS.get(id);
    if (packed)
      return withAlias({ kind: packed, values: this.parseNumberList(), ...at }, id, packed);
    if (PACKED_STRING_NAMES.has(id)) {
      const values = this.parseStringList();
      return withAlias({ kind: 'PackedStringArray', values, ...at }, id, 'PackedStringArray');
    }
    if (PACKED_BYTE_NAMES.has(id)) {
      return withAlias(this.parseByteArray(at), id, 'PackedByteArray');
    }
    return lx.fail(`Unexpected identifier '${id}'`);
  }

  /** Reads `( n, n, … )` where each n is a number or inf/nan; `()` gives an empty list. */
  private parseNumberList(): number[] {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, 'in constructor');
    const numbers: number[] = [];
    if (lx.next() === TokenType.ParenClose) return numbers;
    for (;;) {
      numbers.push(this.readNumberToken());
      const type = lx.next();
      if (type === TokenType.ParenClose) return numbers;
      if (type !== TokenType.Comma) lx.fail("Expected ',' or ')' in constructor");
      lx.next();
    }
  }

  private readNumberToken(): number {
    const lx = this.lexer;
    if (lx.type === TokenType.Number) return lx.number;
    if (lx.type === TokenType.Identifier) {
      const float = FLOAT_IDENTIFIERS.get(lx.text);
      if (float !== undefined) return float;
    }
    return lx.fail(`Expected number in constructor, got ${tokenName(lx.type)}`);
  }

  private parseStringList(): string[] {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, 'in constructor');
    const strings: string[] = [];
    if (lx.next() === TokenType.ParenClose) return strings;
    for (;;) {
      if (lx.type !== TokenType.String) lx.fail(`Expected string, got ${tokenName(lx.type)}`);
      strings.push(lx.text);
      const type = lx.next();
      if (type === TokenType.ParenClose) return strings;
      if (type !== TokenType.Comma) lx.fail("Expected ',' or ')'");
      lx.next();
    }
  }

  private parseByteArray(at: SourcePosition): GodotValue {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, 'in constructor');
    if (lx.next() !== TokenType.String) {
      const numbers = lx.type === TokenType.ParenClose ? [] : this.continueNumberList();
      return { kind: 'PackedByteArray', values: Uint8Array.from(numbers), encoding: 'list', ...at };
    }
    const values = decodeBase64(lx.text);
    if (!values) return lx.fail('Invalid base64-encoded string');
    this.expect(TokenType.ParenClose, 'after base64 string');
    return { kind: 'PackedByteArray', values, encoding: 'base64', ...at };
  }

  /** Continues a number list whose first element is the current token. */
  private continueNumberList(): number[] {
    const lx = this.lexer;
    const numbers: number[] = [];
    for (;;) {
      numbers.push(this.readNumberToken());
      const type = lx.next();
      if (type === TokenType.ParenClose) return numbers;
      if (type !== TokenType.Comma) lx.fail("Expected ',' or ')' in constructor");
      lx.next();
    }
  }

  private parseSingleString(constructor: string): string {
    this.expect(TokenType.ParenOpen, `after ${constructor}`);
    this.expect(TokenType.String, `as argument for ${constructor}()`);
    const text = this.lexer.text;
    this.expect(TokenType.ParenClose, `after ${constructor} argument`);
    return text;
  }

  private parseRid(at: SourcePosition): GodotValue {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, 'after RID');
    if (lx.next() === TokenType.ParenClose) return { kind: 'rid', ...at };
    if (lx.type !== TokenType.Number) lx.fail("Expected number as argument or ')'");
    const id = lx.number;
    this.expect(TokenType.ParenClose, 'after RID argument');
    return { kind: 'rid', id, ...at };
  }

  private parseIdReference(id: 'ExtResource' | 'SubResource', at: SourcePosition): GodotValue {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, `after ${id}`);
    const type = lx.next();
    if (type !== TokenType.String && type !== TokenType.Number) {
      lx.fail(`Expected string or number as ${id} id, got ${tokenName(type)}`);
    }
    const refId = type === TokenType.String ? lx.text : lx.numberText();
    this.expect(TokenType.ParenClose, `after ${id} id`);
    const kind = id === 'ExtResource' ? 'ext_resource' : 'sub_resource';
    const reference: ResourceIdReference = {
      kind,
      id: refId,
      sectionIndex: this.sectionIndex,
      ...at,
    };
    this.references.push(reference);
    return reference;
  }

  /** Parses the arguments of `Resource(` after its parenthesis: one or two paths, one may be a uid. */
  private parseInlineResource(at: SourcePosition): InlineResourceReference {
    const lx = this.lexer;
    const reference: InlineResourceReference = {
      kind: 'resource',
      sectionIndex: this.sectionIndex,
      ...at,
    };
    for (let index = 0; ; index++) {
      if (lx.next() !== TokenType.String) lx.fail('Expected string as argument for Resource()');
      this.assignResourcePath(reference, lx.text);
      const type = lx.next();
      if (type === TokenType.ParenClose) break;
      if (type !== TokenType.Comma || index > 0) lx.fail("Expected ')' after Resource arguments");
    }
    this.references.push(reference);
    return reference;
  }

  private assignResourcePath(reference: InlineResourceReference, text: string): void {
    const slot = text.startsWith('uid://') ? 'uid' : 'path';
    if (reference[slot] !== undefined) {
      this.lexer.fail(
        `Two ${slot === 'uid' ? 'uid://' : 'non-uid'} paths in one Resource reference`,
      );
    }
    reference[slot] = text;
  }

  private parseArrayBody(at: SourcePosition, depth: number): ArrayValue {
    const lx = this.lexer;
    const items: GodotValue[] = [];
    for (;;) {
      if (lx.next() === TokenType.BracketClose) break;
      if (items.length > 0) {
        if (lx.type !== TokenType.Comma)
          lx.fail(`Expected ',' or ']' in array, got ${tokenName(lx.type)}`);
        if (lx.next() === TokenType.BracketClose) break;
      }
      if (lx.type === TokenType.Eof) lx.fail('Unexpected end of file in array');
      items.push(this.parseValue(depth));
    }
    return { kind: 'array', items, ...at };
  }

  private parseDictionaryBody(at: SourcePosition, depth: number): DictionaryValue {
    const lx = this.lexer;
    const entries: DictionaryEntry[] = [];
    for (;;) {
      if (lx.next() === TokenType.CurlyClose) break;
      if (entries.length > 0) {
        if (lx.type !== TokenType.Comma)
          lx.fail(`Expected '}' or ',' in dictionary, got ${tokenName(lx.type)}`);
        if (lx.next() === TokenType.CurlyClose) break;
      }
      if (lx.type === TokenType.Eof) lx.fail('Unexpected end of file in dictionary');
      const key = this.parseValue(depth);
      this.expect(TokenType.Colon, 'after dictionary key');
      entries.push({ key, value: this.parseNext(depth) });
    }
    return { kind: 'dictionary', entries, ...at };
  }

  private parseObject(at: SourcePosition, depth: number): ObjectValue {
    const lx = this.lexer;
    this.expect(TokenType.ParenOpen, 'after Object');
    this.expect(TokenType.Identifier, 'with the type of the object');
    const className = lx.text;
    this.expect(TokenType.Comma, 'after object type');
    const properties: ObjectProperty[] = [];
    for (;;) {
      if (lx.next() === TokenType.ParenClose) break;
      if (properties.length > 0) {
        if (lx.type !== TokenType.Comma) lx.fail("Expected ')' or ',' in Object()");
        if (lx.next() === TokenType.ParenClose) break;
      }
      if (lx.type !== TokenType.String) lx.fail('Expected property name as string in Object()');
      const property = { name: lx.text, line: lx.tokenLine, column: lx.tokenColumn };
      this.expect(TokenType.Colon, 'after Object() property name');
      properties.push({ ...property, value: this.parseNext(depth) });
    }
    return { kind: 'object', className, properties, ...at };
  }

  private parseTypedArray(at: SourcePosition, depth: number): ArrayValue {
    this.expect(TokenType.BracketOpen, 'after Array');
    const elementType = this.parseContainerType(TokenType.BracketClose);
    this.expect(TokenType.ParenOpen, 'after typed Array type');
    this.expect(TokenType.BracketOpen, 'in typed Array');
    const array = this.parseArrayBody(at, depth);
    this.expect(TokenType.ParenClose, 'after typed Array');
    array.elementType = elementType;
    return array;
  }

  private parseTypedDictionary(at: SourcePosition, depth: number): DictionaryValue {
    this.expect(TokenType.BracketOpen, 'after Dictionary');
    const keyType = this.parseContainerType(TokenType.Comma);
    const valueType = this.parseContainerType(TokenType.BracketClose);
    this.expect(TokenType.ParenOpen, 'after typed Dictionary types');
    this.expect(TokenType.CurlyOpen, 'in typed Dictionary');
    const dictionary = this.parseDictionaryBody(at, depth);
    this.expect(TokenType.ParenClose, 'after typed Dictionary');
    dictionary.keyType = keyType;
    dictionary.valueType = valueType;
    return dictionary;
  }

  /** Reads a container element type and the token that ends it (`,` or `]`). */
  private parseContainerType(terminator: TokenType): ContainerType {
    const lx = this.lexer;
    this.expect(TokenType.Identifier, 'as a type name');
    const name = lx.text;
    const at = { line: lx.tokenLine, column: lx.tokenColumn };
    let type: ContainerType;
    if (name === 'ExtResource' || name === 'SubResource') {
      type = { kind: 'script', script: this.parseIdReference(name, at) as ResourceIdReference };
    } else if (name === 'Resource' && lx.next() === TokenType.ParenOpen) {
      type = { kind: 'script', script: this.parseInlineResource(at) };
    } else {
      const builtin = BUILTIN_TYPE_NAMES.has(name) || name === 'Variant';
      type = { kind: builtin ? 'builtin' : 'class', name };
      if (name === 'Resource') return this.endContainerType(type, terminator, true);
    }
    return this.endContainerType(type, terminator, false);
  }

  private endContainerType(
    type: ContainerType,
    terminator: TokenType,
    read: boolean,
  ): ContainerType {
    if (!read) this.lexer.next();
    if (this.lexer.type !== terminator) {
      this.lexer.fail(
        `Expected ${tokenName(terminator)} after type, got ${tokenName(this.lexer.type)}`,
      );
    }
    return type;
  }
}

function withAlias<T extends GodotValue>(value: T, written: string, canonical: string): T {
  if (written !== canonical) value.alias = written;
  return value;
}
