import { attributeNumber, attributeText } from './attributes.js';
import type { Section, SectionReader } from './document.js';
import type { FileHeader } from './scene-types.js';

/** Newest text format the engine's loader accepts (Godot 4.3 and later write 3 or 4). */
export const NEWEST_FORMAT = 4;

/** Newest format written by Godot 3; files at or below it are reported as legacy. */
export const LEGACY_FORMAT = 2;

/**
 * Reads and checks the first section. The engine accepts only `gd_scene` or
 * `gd_resource` there and rejects a format above 4 before reading further,
 * so this throws before the body, which may use a newer grammar, is parsed.
 */
export function readHeader(reader: SectionReader): FileHeader {
  const section = reader.nextSection();
  if (!section) {
    throw reader.lexer.errorAt(
      'Empty file: expected [gd_scene] or [gd_resource]',
      0,
      'UNRECOGNIZED_FILE_TYPE',
    );
  }
  if (section.name !== 'gd_scene' && section.name !== 'gd_resource') {
    throw positionedError(
      reader,
      section,
      `Unrecognized file type '${section.name}': expected [gd_scene] or [gd_resource] first`,
    );
  }

  const format = attributeNumber(section, 'format');
  if (format !== undefined && format > NEWEST_FORMAT) {
    const at = section.attributes.get('format') ?? section;
    const offset = offsetOf(reader, at.line, at.column);
    throw reader.lexer.errorAt(
      `Saved with newer format version ${format}; Godot 4 reads format ${NEWEST_FORMAT} and older`,
      offset,
      'FORMAT_TOO_NEW',
    );
  }
  return headerFrom(section, format);
}

function headerFrom(section: Section, format: number | undefined): FileHeader {
  return {
    tag: section.name as FileHeader['tag'],
    format,
    uid: attributeText(section, 'uid'),
    type: attributeText(section, 'type'),
    scriptClass: attributeText(section, 'script_class'),
    loadSteps: attributeNumber(section, 'load_steps'),
    section,
    line: section.line,
    column: section.column,
  };
}

function positionedError(reader: SectionReader, section: Section, reason: string): Error {
  const offset = offsetOf(reader, section.line, section.column);
  return reader.lexer.errorAt(reason, offset, 'UNRECOGNIZED_FILE_TYPE');
}

/** Finds the source offset of a line and column; only used on the first section, so it is cheap. */
function offsetOf(reader: SectionReader, line: number, column: number): number {
  const source = reader.lexer.source;
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = source.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** Returns the legacy note for a Godot 3 format, or undefined for Godot 4 formats. */
export function legacyMessage(format: number | undefined): string | undefined {
  if (format === undefined || format > LEGACY_FORMAT) return undefined;
  return (
    `format=${format} is the Godot 3 text format: Godot 4 reads it through compatibility ` +
    'aliases, but classes and properties renamed since Godot 3 may fail to load; ' +
    're-save the file in Godot 4 to update it'
  );
}
