import { type ParseOptions, type Property, type Section, SectionReader } from './document.js';
import type { GodotValue } from './values.js';

/** A parsed ConfigFile (project.godot, `.import`, editor settings). */
export interface ConfigFile {
  /** Properties before the first section, such as `config_version=5`. */
  leading: Property[];
  sections: Section[];
}

/** Parses ConfigFile text. Section names are raw (`[application]`, `[input]`), as the engine reads them. */
export function parseConfigFile(source: string, options: ParseOptions = {}): ConfigFile {
  const reader = new SectionReader(source, true, options);
  const leading = reader.readLeadingProperties();
  const sections: Section[] = [];
  for (let section = reader.nextSection(); section; section = reader.nextSection()) {
    sections.push(section);
  }
  return { leading, sections };
}

/** Returns the last value of `key` in `section` (a later line wins, as in the engine). */
export function configValue(
  config: ConfigFile,
  section: string,
  key: string,
): GodotValue | undefined {
  const properties = section === '' ? config.leading : sectionProperties(config, section);
  let found: GodotValue | undefined;
  for (const property of properties) {
    if (property.key === key) found = property.value;
  }
  return found;
}

/** Returns the properties of every section named `name`, in file order. */
export function sectionProperties(config: ConfigFile, name: string): Property[] {
  return config.sections.filter((section) => section.name === name).flatMap((s) => s.properties);
}
