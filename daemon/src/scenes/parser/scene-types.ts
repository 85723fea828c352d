import type { Section } from './document.js';
import type { GodotValue, ResourceReference, SourcePosition } from './values.js';

/** Codes for structural problems that the engine's loader rejects or trips over. */
export type StructureIssueCode =
  | 'UNKNOWN_SECTION'
  | 'SECTION_ORDER'
  | 'MISSING_REQUIRED_FIELD'
  | 'RESOURCE_SECTION_IN_SCENE'
  | 'NODE_IN_RESOURCE'
  | 'EXTRA_SECTION_AFTER_RESOURCE'
  | 'MISSING_RESOURCE_SECTION';

/** A structural problem found while reading sections; the grammar itself was valid. */
export interface StructureIssue extends SourcePosition {
  code: StructureIssueCode;
  message: string;
}

export interface FileHeader extends SourcePosition {
  /** `gd_scene` or `gd_resource`. */
  tag: 'gd_scene' | 'gd_resource';
  /** The `format=` value, or undefined when the header has none (which means current). */
  format?: number;
  uid?: string;
  /** The resource class of a `gd_resource` header. */
  type?: string;
  scriptClass?: string;
  loadSteps?: number;
  section: Section;
}

export interface ExtResourceEntry extends SourcePosition {
  id: string;
  path?: string;
  type?: string;
  uid?: string;
  section: Section;
}

export interface SubResourceEntry extends SourcePosition {
  id: string;
  type?: string;
  section: Section;
}

export interface SceneNode extends SourcePosition {
  name?: string;
  type?: string;
  /** Parent path relative to the root (`"."` for the root's children); undefined for the root. */
  parent?: string;
  /** The `instance=` value, normally `ExtResource("id")`. */
  instance?: GodotValue;
  instancePlaceholder?: string;
  owner?: string;
  index?: number;
  groups: string[];
  section: Section;
}

export interface SceneConnection extends SourcePosition {
  signal?: string;
  from?: string;
  to?: string;
  method?: string;
  flags: number;
  unbinds: number;
  binds: GodotValue[];
  section: Section;
}

export interface EditableEntry extends SourcePosition {
  path?: string;
  section: Section;
}

/** A parsed `.tscn` or `.tres` file. */
export interface TextResourceFile {
  kind: 'scene' | 'resource';
  header: FileHeader;
  /** True for format 2 and older: Godot 3 files. */
  legacy: boolean;
  legacyMessage?: string;
  extResources: ExtResourceEntry[];
  subResources: SubResourceEntry[];
  nodes: SceneNode[];
  connections: SceneConnection[];
  editables: EditableEntry[];
  /** The `[resource]` section of a resource file. */
  resource?: Section;
  sections: Section[];
  /** Every ExtResource, SubResource and Resource reference, in file order. */
  references: ResourceReference[];
  issues: StructureIssue[];
}
