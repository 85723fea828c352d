import type { Section } from './document.js';
import type { GodotValue } from './values.js';

/**
 * Returns an attribute as text: strings, StringNames and NodePaths as they are,
 * numbers in decimal (Godot 3 wrote ids and indexes as bare numbers).
 */
export function attributeText(section: Section, name: string): string | undefined {
  return valueText(section.attributes.get(name));
}

export function valueText(value: GodotValue | undefined): string | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
    case 'string_name':
    case 'node_path':
      return value.value;
    case 'int':
      return String(value.big ?? value.value);
    case 'float':
      return String(value.value);
    default:
      return undefined;
  }
}

/** Returns an attribute as a number, also accepting numeric text such as `index="2"`. */
export function attributeNumber(section: Section, name: string): number | undefined {
  const value = section.attributes.get(name);
  if (!value) return undefined;
  if (value.kind === 'int' || value.kind === 'float') return value.value;
  if (value.kind === 'string' && value.value.trim() !== '') {
    const parsed = Number(value.value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Returns the strings of an Array or PackedStringArray attribute, such as `groups`. */
export function attributeStrings(section: Section, name: string): string[] {
  const value = section.attributes.get(name);
  if (!value) return [];
  if (value.kind === 'PackedStringArray') return value.values;
  if (value.kind !== 'array') return [];
  return value.items.map(valueText).filter((text): text is string => text !== undefined);
}
