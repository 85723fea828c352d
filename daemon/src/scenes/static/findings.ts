/** Stable finding codes; docs/validation.md has one row per code. */
export const FINDING_SEVERITY = {
  PARSE_ERROR: 'error',
  NESTING_TOO_DEEP: 'error',
  FORMAT_TOO_NEW: 'error',
  UNRECOGNIZED_FILE_TYPE: 'error',
  LEGACY_FORMAT: 'warning',
  INVALID_SCENE_PATH: 'error',
  SCENE_NOT_FOUND: 'error',
  NOT_A_SCENE: 'error',
  BINARY_SCENE_NOT_CHECKED: 'warning',
  UNKNOWN_SECTION: 'error',
  SECTION_ORDER: 'error',
  MISSING_REQUIRED_FIELD: 'error',
  RESOURCE_SECTION_IN_SCENE: 'error',
  NODE_IN_RESOURCE: 'error',
  EXTRA_SECTION_AFTER_RESOURCE: 'error',
  MISSING_RESOURCE_SECTION: 'error',
  DUPLICATE_EXT_RESOURCE_ID: 'error',
  DUPLICATE_SUB_RESOURCE_ID: 'error',
  UNDEFINED_EXT_RESOURCE: 'error',
  UNDEFINED_SUB_RESOURCE: 'error',
  MISSING_EXTERNAL_RESOURCE: 'error',
  MISSING_SCRIPT: 'error',
  PATH_OUTSIDE_PROJECT: 'error',
  UNSUPPORTED_RESOURCE_PATH: 'warning',
  UNKNOWN_UID: 'warning',
  NO_ROOT_NODE: 'error',
  ROOT_HAS_PARENT: 'error',
  ROOT_WITHOUT_TYPE: 'error',
  INSTANCE_PLACEHOLDER_ON_ROOT: 'error',
  MULTIPLE_ROOT_NODES: 'error',
  MISSING_NODE_NAME: 'error',
  MISSING_PARENT: 'error',
  DUPLICATE_NODE_NAME: 'error',
  INSTANCE_NOT_A_SCENE: 'error',
  INSTANCE_CYCLE: 'error',
  MISSING_PLACEHOLDER_SCENE: 'warning',
  CONNECTION_UNKNOWN_NODE: 'error',
  EDITABLE_UNKNOWN_NODE: 'warning',
} as const;

export type FindingCode = keyof typeof FINDING_SEVERITY;
export type Severity = 'error' | 'warning';

/** One problem found in a file: where it is and what it is. */
export interface Finding {
  code: FindingCode;
  message: string;
  /** The `res://` path of the file the problem is in (for nested scenes, that scene's file). */
  file: string;
  /** 1-based line, or 0 when the problem concerns the file as a whole. */
  line: number;
  column: number;
}

export function severityOf(code: FindingCode): Severity {
  return FINDING_SEVERITY[code];
}

/** Collects findings for one file. */
export class FindingList {
  readonly items: Finding[] = [];

  constructor(readonly file: string) {}

  add(code: FindingCode, message: string, at?: { line: number; column: number }): void {
    this.items.push({
      code,
      message,
      file: this.file,
      line: at?.line ?? 0,
      column: at?.column ?? 0,
    });
  }
}
