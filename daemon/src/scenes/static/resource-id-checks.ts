import type { TextResourceFile } from '../parser/scene-types.js';
import type { FindingList } from './findings.js';

/** Reports duplicate ext_resource and sub_resource ids (each kind is its own namespace). */
export function checkDuplicateIds(file: TextResourceFile, findings: FindingList): void {
  const extSeen = new Map<string, number>();
  for (const entry of file.extResources) {
    const first = extSeen.get(entry.id);
    if (first === undefined) extSeen.set(entry.id, entry.line);
    else {
      findings.add(
        'DUPLICATE_EXT_RESOURCE_ID',
        `ext_resource id "${entry.id}" is already used at line ${first}`,
        entry,
      );
    }
  }
  const subSeen = new Map<string, number>();
  for (const entry of file.subResources) {
    const first = subSeen.get(entry.id);
    if (first === undefined) subSeen.set(entry.id, entry.line);
    else {
      findings.add(
        'DUPLICATE_SUB_RESOURCE_ID',
        `sub_resource id "${entry.id}" is already used at line ${first}`,
        entry,
      );
    }
  }
}

/**
 * Reports ExtResource and SubResource references whose id is not declared in
 * a section before the one that uses it, as the loader requires.
 */
export function checkReferences(file: TextResourceFile, findings: FindingList): void {
  const extDeclared = firstSectionIndex(file, 'ext_resource');
  const subDeclared = firstSectionIndex(file, 'sub_resource');
  for (const reference of file.references) {
    if (reference.kind === 'resource') continue;
    const isExt = reference.kind === 'ext_resource';
    const declaredAt = (isExt ? extDeclared : subDeclared).get(reference.id);
    if (declaredAt !== undefined && declaredAt < reference.sectionIndex) continue;

    const call = isExt ? 'ExtResource' : 'SubResource';
    const tag = isExt ? 'ext_resource' : 'sub_resource';
    const reason =
      declaredAt === undefined
        ? `no [${tag}] declares id "${reference.id}"`
        : `its [${tag}] comes later, at line ${file.sections[declaredAt]?.line}`;
    const code = isExt ? 'UNDEFINED_EXT_RESOURCE' : 'UNDEFINED_SUB_RESOURCE';
    findings.add(
      code,
      `${call}("${reference.id}") is used before it is defined: ${reason}`,
      reference,
    );
  }
}

function firstSectionIndex(file: TextResourceFile, tag: string): Map<string, number> {
  const sectionIndex = new Map(file.sections.map((section, index) => [section, index]));
  const entries = tag === 'ext_resource' ? file.extResources : file.subResources;
  const indexes = new Map<string, number>();
  for (const entry of entries) {
    const index = sectionIndex.get(entry.section);
    if (index !== undefined && !indexes.has(entry.id)) indexes.set(entry.id, index);
  }
  return indexes;
}
