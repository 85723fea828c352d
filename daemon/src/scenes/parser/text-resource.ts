import { attributeNumber, attributeStrings, attributeText } from './attributes.js';
import { type ParseOptions, type Section, SectionReader } from './document.js';
import { legacyMessage, readHeader } from './header.js';
import type {
  ExtResourceEntry,
  SceneConnection,
  SceneNode,
  StructureIssue,
  StructureIssueCode,
  TextResourceFile,
} from './scene-types.js';

/** Section order the loader requires: external resources, then sub-resources, then the body. */
const SECTION_RANK: Record<string, number> = {
  ext_resource: 0,
  sub_resource: 1,
  node: 2,
  connection: 2,
  editable: 2,
  resource: 2,
};

const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  ext_resource: ['path', 'type', 'id'],
  sub_resource: ['type', 'id'],
  connection: ['from', 'to', 'signal', 'method'],
  editable: ['path'],
};

/** Godot's CONNECT_PERSIST, the default `flags` of a connection. */
const CONNECT_PERSIST = 2;

/**
 * Parses a `.tscn` or `.tres` file. Grammar and header errors throw a
 * ParseError; structural problems the grammar allows (order, missing fields,
 * unknown sections) are returned in `issues`.
 */
export function parseTextResource(source: string, options: ParseOptions = {}): TextResourceFile {
  const reader = new SectionReader(source, false, options);
  const header = readHeader(reader);
  const file: TextResourceFile = {
    kind: header.tag === 'gd_scene' ? 'scene' : 'resource',
    header,
    legacy: legacyMessage(header.format) !== undefined,
    legacyMessage: legacyMessage(header.format),
    extResources: [],
    subResources: [],
    nodes: [],
    connections: [],
    editables: [],
    sections: [header.section],
    references: reader.references,
    issues: [],
  };
  if (file.kind === 'resource' && header.type === undefined) {
    addIssue(file, 'MISSING_REQUIRED_FIELD', "Missing 'type' in gd_resource header", header);
  }
  readBody(reader, file);
  return file;
}

function readBody(reader: SectionReader, file: TextResourceFile): void {
  let rank = 0;
  for (let section = reader.nextSection(); section; section = reader.nextSection()) {
    file.sections.push(section);
    const sectionRank = SECTION_RANK[section.name];
    if (sectionRank === undefined) {
      addIssue(file, 'UNKNOWN_SECTION', `Unknown section [${section.name}]`, section);
      continue;
    }
    if (file.resource) {
      addIssue(
        file,
        'EXTRA_SECTION_AFTER_RESOURCE',
        `Extra [${section.name}] after [resource]`,
        section,
      );
    } else if (sectionRank < rank) {
      addIssue(file, 'SECTION_ORDER', orderMessage(section.name), section);
    }
    rank = Math.max(rank, sectionRank);
    checkRequiredFields(file, section);
    addSection(file, section);
  }
  if (file.kind === 'resource' && !file.resource) {
    addIssue(
      file,
      'MISSING_RESOURCE_SECTION',
      'Resource file has no [resource] section',
      file.header,
    );
  }
}

function orderMessage(name: string): string {
  return `[${name}] after a later kind of section: ext_resource sections come first, then sub_resource, then the rest`;
}

function addSection(file: TextResourceFile, section: Section): void {
  switch (section.name) {
    case 'ext_resource':
      file.extResources.push(extResourceFrom(section));
      return;
    case 'sub_resource':
      file.subResources.push({
        id: attributeText(section, 'id') ?? '',
        type: attributeText(section, 'type'),
        section,
        line: section.line,
        column: section.column,
      });
      return;
    case 'node':
      if (file.kind === 'resource') {
        addIssue(file, 'NODE_IN_RESOURCE', 'Found a [node] section in a resource file', section);
      }
      file.nodes.push(nodeFrom(section));
      return;
    case 'connection':
      file.connections.push(connectionFrom(section));
      return;
    case 'editable':
      file.editables.push({ path: attributeText(section, 'path'), section, ...at(section) });
      return;
    case 'resource':
      if (file.kind === 'scene') {
        addIssue(
          file,
          'RESOURCE_SECTION_IN_SCENE',
          'Found the [resource] section in a scene file',
          section,
        );
      }
      file.resource = section;
      return;
  }
}

function extResourceFrom(section: Section): ExtResourceEntry {
  return {
    id: attributeText(section, 'id') ?? '',
    path: attributeText(section, 'path'),
    type: attributeText(section, 'type'),
    uid: attributeText(section, 'uid'),
    section,
    ...at(section),
  };
}

function nodeFrom(section: Section): SceneNode {
  return {
    name: attributeText(section, 'name'),
    type: attributeText(section, 'type'),
    parent: attributeText(section, 'parent'),
    instance: section.attributes.get('instance'),
    instancePlaceholder: attributeText(section, 'instance_placeholder'),
    owner: attributeText(section, 'owner'),
    index: attributeNumber(section, 'index'),
    groups: attributeStrings(section, 'groups'),
    section,
    ...at(section),
  };
}

function connectionFrom(section: Section): SceneConnection {
  const binds = section.attributes.get('binds');
  return {
    signal: attributeText(section, 'signal'),
    from: attributeText(section, 'from'),
    to: attributeText(section, 'to'),
    method: attributeText(section, 'method'),
    flags: attributeNumber(section, 'flags') ?? CONNECT_PERSIST,
    unbinds: attributeNumber(section, 'unbinds') ?? 0,
    binds: binds?.kind === 'array' ? binds.items : [],
    section,
    ...at(section),
  };
}

function checkRequiredFields(file: TextResourceFile, section: Section): void {
  for (const field of REQUIRED_FIELDS[section.name] ?? []) {
    if (!section.attributes.has(field)) {
      addIssue(file, 'MISSING_REQUIRED_FIELD', `Missing '${field}' in [${section.name}]`, section);
    }
  }
}

function at(section: Section): { line: number; column: number } {
  return { line: section.line, column: section.column };
}

function addIssue(
  file: TextResourceFile,
  code: StructureIssueCode,
  message: string,
  where: { line: number; column: number },
): void {
  const issue: StructureIssue = { code, message, line: where.line, column: where.column };
  file.issues.push(issue);
}
