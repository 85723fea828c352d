import type { SceneNode, TextResourceFile } from '../parser/scene-types.js';
import type { FindingList } from './findings.js';
import { childPath, NodeTree, normalizeNodePath } from './node-tree.js';

/** Trees of the scenes instanced by nodes of this file; null when a scene's content is unknown. */
export type InstanceTrees = Map<SceneNode, NodeTree | null>;

/**
 * Checks the root and every node's parent and name, and returns the tree of
 * node paths the scene makes available. A parent must be declared earlier in
 * the file or come from an instanced or inherited scene. Otherwise the engine
 * only warns and re-attaches the node to the root.
 */
export function checkNodes(
  file: TextResourceFile,
  instanceTrees: InstanceTrees,
  findings: FindingList,
): NodeTree {
  const tree = new NodeTree();
  const [root, ...others] = file.nodes;
  if (!root) {
    findings.add(
      'NO_ROOT_NODE',
      'Scene has no [node] section, so it has no root node',
      file.header,
    );
    return tree;
  }
  checkRoot(root, instanceTrees, tree, findings);

  const declaredLines = declaredPathLines(others);
  const siblings = new Map<string, number>();
  for (const node of others) {
    checkChild(node, { tree, instanceTrees, declaredLines, siblings, findings });
  }
  return tree;
}

function checkRoot(
  root: SceneNode,
  trees: InstanceTrees,
  tree: NodeTree,
  findings: FindingList,
): void {
  if (root.parent !== undefined) {
    findings.add(
      'ROOT_HAS_PARENT',
      `Root node "${root.name ?? ''}" specifies parent="${root.parent}": the first [node] is the root and has no parent`,
      root.section.attributes.get('parent') ?? root,
    );
  }
  if (root.instancePlaceholder !== undefined) {
    findings.add(
      'INSTANCE_PLACEHOLDER_ON_ROOT',
      'instance_placeholder cannot be used on the root node (Godot rejects the file)',
      root,
    );
  }
  if (root.type === undefined && root.instance === undefined) {
    findings.add(
      'ROOT_WITHOUT_TYPE',
      `Root node "${root.name ?? ''}" has neither type= nor instance=, so it cannot be instantiated`,
      root,
    );
  }
  tree.declare('.');
  if (root.instance !== undefined) tree.base = trees.get(root) ?? null;
}

interface ChildContext {
  tree: NodeTree;
  instanceTrees: InstanceTrees;
  declaredLines: Map<string, number>;
  siblings: Map<string, number>;
  findings: FindingList;
}

function checkChild(node: SceneNode, context: ChildContext): void {
  const { tree, findings } = context;
  if (node.name === undefined || node.name === '') {
    findings.add('MISSING_NODE_NAME', '[node] has no name', node);
    return;
  }
  if (node.parent === undefined) {
    findings.add(
      'MULTIPLE_ROOT_NODES',
      `Node "${node.name}" has no parent: only the first [node] may be the root`,
      node,
    );
    return;
  }
  const parent = normalizeNodePath(node.parent);
  if (parent === undefined) return;

  if (!tree.has(parent)) reportMissingParent(node, parent, context);
  const path = childPath(parent, node.name);
  const previous = context.siblings.get(path);
  if (previous !== undefined) {
    findings.add(
      'DUPLICATE_NODE_NAME',
      `Node "${node.name}" under "${parent}" is already declared at line ${previous}`,
      node,
    );
  } else {
    context.siblings.set(path, node.line);
  }
  tree.declare(path);
  if (node.instance !== undefined)
    tree.attachInstance(path, context.instanceTrees.get(node) ?? null);
}

function reportMissingParent(node: SceneNode, parent: string, context: ChildContext): void {
  const laterLine = context.declaredLines.get(parent);
  const reason =
    laterLine !== undefined && laterLine > node.line
      ? `it is declared later, at line ${laterLine}; a parent must come before its children`
      : 'no such node exists in the scene';
  context.findings.add(
    'MISSING_PARENT',
    `Parent "${parent}" of node "${node.name ?? ''}" not found: ${reason}`,
    node.section.attributes.get('parent') ?? node,
  );
}

function declaredPathLines(nodes: SceneNode[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const node of nodes) {
    const parent = node.parent === undefined ? undefined : normalizeNodePath(node.parent);
    if (parent === undefined || node.name === undefined) continue;
    const path = childPath(parent, node.name);
    if (!lines.has(path)) lines.set(path, node.line);
  }
  return lines;
}
