import { stat } from 'node:fs/promises';
import type { ParseError } from '../parser/parse-error.js';
import type { SceneNode, TextResourceFile } from '../parser/scene-types.js';
import { checkConnections, checkEditables } from './connection-checks.js';
import {
  checkExternalResources,
  checkPlaceholder,
  type ExternalTargets,
} from './external-resource-checks.js';
import { type Finding, type FindingCode, FindingList } from './findings.js';
import { checkNodes, type InstanceTrees } from './node-checks.js';
import type { NodeTree } from './node-tree.js';
import { realPathInProject, ResourcePathError, resPathToDisk } from './project-paths.js';
import { checkDuplicateIds, checkReferences } from './resource-id-checks.js';
import { NotRegularFileError, type ParseOutcome } from './scene-cache.js';
import type { ValidationRun } from './validation-run.js';

/** The outcome of checking one file: its findings and those of the scenes it instances. */
export interface FileResult {
  findings: Finding[];
  /** The scene's node paths, or null when the file could not be read as a scene. */
  tree: NodeTree | null;
  legacy: boolean;
}

const PARSE_ERROR_CODES: Record<ParseError['code'], FindingCode> = {
  PARSE_ERROR: 'PARSE_ERROR',
  DEPTH_LIMIT: 'NESTING_TOO_DEEP',
  FORMAT_TOO_NEW: 'FORMAT_TOO_NEW',
  UNRECOGNIZED_FILE_TYPE: 'UNRECOGNIZED_FILE_TYPE',
};

/**
 * Validates scene files and, recursively, the scenes they instance. Each file
 * is checked once per validator. Instanced scenes are visited one at a time,
 * so any file still in progress is on the current instancing chain, which is
 * how cycles are detected.
 */
export class SceneValidator {
  private readonly results = new Map<string, Promise<FileResult>>();

  constructor(private readonly run: ValidationRun) {}

  validate(resPath: string, chain: readonly string[] = []): Promise<FileResult> {
    let result = this.results.get(resPath);
    if (!result) {
      result = this.validateFile(resPath, [...chain, resPath]);
      this.results.set(resPath, result);
    }
    return result;
  }

  private async validateFile(resPath: string, chain: readonly string[]): Promise<FileResult> {
    const findings = new FindingList(resPath);
    if (resPath.toLowerCase().endsWith('.scn')) {
      if (!(await this.exists(resPath, findings))) {
        return { findings: findings.items, tree: null, legacy: false };
      }
      findings.add(
        'BINARY_SCENE_NOT_CHECKED',
        'Binary .scn scenes are not read by the static validator',
      );
      return { findings: findings.items, tree: null, legacy: false };
    }
    const outcome = await this.load(resPath, findings);
    if (!outcome) return { findings: findings.items, tree: null, legacy: false };
    if ('error' in outcome) {
      const { error } = outcome;
      findings.add(PARSE_ERROR_CODES[error.code], `${error.reason}: ${error.excerpt}`, error);
      return { findings: findings.items, tree: null, legacy: false };
    }

    const file = outcome.file;
    const nested: Finding[] = [];
    const tree = await this.checkFile(file, resPath, chain, findings, nested);
    return { findings: [...findings.items, ...nested], tree, legacy: file.legacy };
  }

  /** Checks that a file the validator does not parse is on disk, as `load` does for text files. */
  private async exists(resPath: string, findings: FindingList): Promise<boolean> {
    try {
      await stat(resPathToDisk(this.run.projectDir, resPath));
      return true;
    } catch (error) {
      if (error instanceof ResourcePathError) {
        findings.add('INVALID_SCENE_PATH', error.message);
        return false;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`;
      findings.add('SCENE_NOT_FOUND', `${resPath}: ${reason}`);
      return false;
    }
  }

  private async load(resPath: string, findings: FindingList): Promise<ParseOutcome | undefined> {
    let disk: string;
    try {
      disk = resPathToDisk(this.run.projectDir, resPath);
    } catch (error) {
      findings.add('INVALID_SCENE_PATH', (error as Error).message);
      return undefined;
    }
    try {
      const real = await realPathInProject(this.run.projectDir, disk);
      return await this.run.cache.load(real, this.run.maxDepth);
    } catch (error) {
      if (error instanceof ResourcePathError) {
        this.run.logger?.warn({ resPath, err: error }, 'scene file outside the project not read');
        findings.add('PATH_OUTSIDE_PROJECT', error.message);
        return undefined;
      }
      const code = (error as NodeJS.ErrnoException).code;
      let reason = `cannot be read (${code ?? String(error)})`;
      if (code === 'ENOENT') reason = 'file not found';
      if (error instanceof NotRegularFileError) reason = 'not a regular file, so it was not read';
      this.run.logger?.debug({ resPath, err: error }, 'scene file not readable');
      findings.add('SCENE_NOT_FOUND', `${resPath}: ${reason}`);
      return undefined;
    }
  }

  private async checkFile(
    file: TextResourceFile,
    resPath: string,
    chain: readonly string[],
    findings: FindingList,
    nested: Finding[],
  ): Promise<NodeTree | null> {
    if (file.legacyMessage) findings.add('LEGACY_FORMAT', file.legacyMessage, file.header);
    for (const issue of file.issues) findings.add(issue.code, issue.message, issue);
    if (file.kind !== 'scene') {
      const type = file.header.type ?? 'unknown';
      findings.add(
        'NOT_A_SCENE',
        `Expected [gd_scene], found a [gd_resource] of type ${type}`,
        file.header,
      );
    }
    checkDuplicateIds(file, findings);
    checkReferences(file, findings);
    const targets = await checkExternalResources(file, resPath, this.run, findings);
    if (file.kind !== 'scene') return null;

    for (const node of file.nodes.slice(1)) {
      if (node.instancePlaceholder === undefined) continue;
      await checkPlaceholder(node.instancePlaceholder, resPath, this.run, findings, node);
    }
    const trees = await this.instanceTrees(file, targets, chain, findings, nested);
    const tree = checkNodes(file, trees, findings);
    checkConnections(file, tree, findings);
    checkEditables(file, tree, findings);
    return tree;
  }

  private async instanceTrees(
    file: TextResourceFile,
    targets: ExternalTargets,
    chain: readonly string[],
    findings: FindingList,
    nested: Finding[],
  ): Promise<InstanceTrees> {
    const trees: InstanceTrees = new Map();
    for (const node of file.nodes) {
      if (node.instance === undefined) continue;
      const target = this.instanceTarget(file, node, targets, findings);
      trees.set(
        node,
        target === undefined ? null : await this.childTree(target, node, chain, findings, nested),
      );
    }
    return trees;
  }

  /** Returns the `res://` path of the text scene a node instances, or undefined when it cannot be followed. */
  private instanceTarget(
    file: TextResourceFile,
    node: SceneNode,
    targets: ExternalTargets,
    findings: FindingList,
  ): string | undefined {
    const instance = node.instance;
    if (instance?.kind !== 'ext_resource') {
      if (instance?.kind !== 'resource') {
        findings.add(
          'INSTANCE_NOT_A_SCENE',
          'instance= must be ExtResource("id") of a PackedScene',
          instance ?? node,
        );
      }
      return undefined;
    }
    const entry = file.extResources.find((candidate) => candidate.id === instance.id);
    if (entry?.type !== undefined && entry.type !== 'PackedScene') {
      findings.add(
        'INSTANCE_NOT_A_SCENE',
        `Node "${node.name ?? ''}" instances ext_resource "${instance.id}" of type ${entry.type}, not PackedScene`,
        instance,
      );
      return undefined;
    }
    const target = targets.get(instance.id);
    if (target === undefined || !target.startsWith('res://')) return undefined;
    return target.toLowerCase().endsWith('.tscn') ? target : undefined;
  }

  private async childTree(
    target: string,
    node: SceneNode,
    chain: readonly string[],
    findings: FindingList,
    nested: Finding[],
  ): Promise<NodeTree | null> {
    if (chain.includes(target)) {
      const loop = [...chain.slice(chain.indexOf(target)), target].join(' -> ');
      findings.add(
        'INSTANCE_CYCLE',
        `Node "${node.name ?? ''}" closes an instance cycle: ${loop}`,
        node,
      );
      return null;
    }
    const child = await this.validate(target, chain);
    nested.push(...child.findings);
    return child.tree;
  }
}
