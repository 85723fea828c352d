import { Lexer } from './lexer.js';
import { TokenType, tokenName } from './tokens.js';
import { DEFAULT_MAX_DEPTH, MAX_DEPTH_LIMIT, ValueParser } from './value-parser.js';
import type { GodotValue, ResourceReference, SourcePosition } from './values.js';

/** A `key = value` line inside a section (or before the first section). */
export interface Property extends SourcePosition {
  key: string;
  value: GodotValue;
}

/** A `[name attr=value …]` tag and the properties that follow it. */
export interface Section extends SourcePosition {
  name: string;
  /** Every attribute in the tag, known to this parser or not, in written order. */
  attributes: Map<string, GodotValue>;
  properties: Property[];
}

export interface ParseOptions {
  /** Maximum nesting of arrays, dictionaries and objects in one value. Default 128, at most 2048. */
  maxDepth?: number;
}

/**
 * Reads a Godot text file section by section. Scene and resource files use
 * tagged sections (`[node name="A"]`); ConfigFile files such as project.godot
 * use raw section names (`[application]`) and may have properties before the
 * first section.
 */
export class SectionReader {
  readonly lexer: Lexer;
  readonly values: ValueParser;
  private sectionCount = 0;

  constructor(
    source: string,
    private readonly rawSectionNames: boolean,
    options: ParseOptions = {},
  ) {
    this.lexer = new Lexer(source);
    this.values = new ValueParser(this.lexer, checkedMaxDepth(options.maxDepth));
  }

  /** Every resource reference read so far, in file order. */
  get references(): ResourceReference[] {
    return this.values.references;
  }

  /** Reads properties that come before any section (ConfigFile's `config_version=5`). */
  readLeadingProperties(): Property[] {
    return this.readProperties();
  }

  /** Reads the next section with its properties, or returns undefined at the end of the file. */
  nextSection(): Section | undefined {
    const start = this.lexer.readStatement();
    if (start.kind === 'eof') return undefined;
    if (start.kind === 'property') {
      throw this.lexer.errorAt(`Expected '[' before property '${start.key}'`, this.lexer.pos - 1);
    }

    this.values.sectionIndex = this.sectionCount++;
    this.lexer.pos++;
    const section: Section = {
      name: '',
      attributes: new Map(),
      properties: [],
      line: start.line,
      column: start.column,
    };
    if (this.rawSectionNames) {
      section.name = this.lexer.readRawSectionName();
    } else {
      this.readTag(section);
    }
    section.properties = this.readProperties();
    return section;
  }

  private readProperties(): Property[] {
    const properties: Property[] = [];
    for (;;) {
      // A section start leaves the lexer on its '[', so nextSection() finds it again.
      const start = this.lexer.readStatement();
      if (start.kind !== 'property') return properties;
      const value = this.values.parseNext();
      properties.push({ key: start.key, value, line: start.line, column: start.column });
    }
  }

  /** Reads a tag name; like the engine, it joins parts split by `.` or `:` (`[a.Android]`). */
  private readTagName(): string {
    const lx = this.lexer;
    let name = lx.text;
    for (;;) {
      const type = lx.next();
      if (type !== TokenType.Period && type !== TokenType.Colon) return name;
      const separator = type === TokenType.Period ? '.' : ':';
      if (lx.next() !== TokenType.Identifier) lx.fail(`Expected identifier after '${separator}'`);
      name += separator + lx.text;
    }
  }

  /** Reads a tag's name and `key=value` attributes up to its `]`. */
  private readTag(section: Section): void {
    const lx = this.lexer;
    if (lx.next() !== TokenType.Identifier) {
      lx.fail(`Expected section name after '[', got ${tokenName(lx.type)}`);
    }
    section.name = this.readTagName();
    for (let type = lx.type; ; type = lx.next()) {
      if (type === TokenType.BracketClose) return;
      if (type === TokenType.Eof) lx.fail(`Unexpected end of file in section '${section.name}'`);
      if (type !== TokenType.Identifier) {
        lx.fail(`Expected attribute name in section '${section.name}', got ${tokenName(type)}`);
      }
      const name = lx.text;
      if (lx.next() !== TokenType.Equal) lx.fail(`Expected '=' after attribute '${name}'`);
      section.attributes.set(name, this.values.parseNext());
    }
  }
}

function checkedMaxDepth(maxDepth: number | undefined): number {
  const depth = maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH_LIMIT) {
    throw new RangeError(
      `maxDepth must be an integer from 1 to ${MAX_DEPTH_LIMIT}, got ${String(maxDepth)}`,
    );
  }
  return depth;
}
