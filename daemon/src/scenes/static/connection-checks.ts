import type { TextResourceFile } from '../parser/scene-types.js';
import type { FindingList } from './findings.js';
import { type NodeTree, normalizeNodePath } from './node-tree.js';

/** Checks that every connection's `from` and `to` name nodes of the scene. */
export function checkConnections(
  file: TextResourceFile,
  tree: NodeTree,
  findings: FindingList,
): void {
  for (const connection of file.connections) {
    for (const end of ['from', 'to'] as const) {
      const written = connection[end];
      if (written === undefined) continue;
      const path = normalizeNodePath(written);
      if (path === undefined || tree.has(path)) continue;
      findings.add(
        'CONNECTION_UNKNOWN_NODE',
        `Connection of signal "${connection.signal ?? ''}" ${end} "${written}": no such node in the scene`,
        connection.section.attributes.get(end) ?? connection,
      );
    }
  }
}

/** Checks that every `[editable path=…]` names a node of the scene. */
export function checkEditables(
  file: TextResourceFile,
  tree: NodeTree,
  findings: FindingList,
): void {
  for (const editable of file.editables) {
    if (editable.path === undefined) continue;
    const path = normalizeNodePath(editable.path);
    if (path === undefined || tree.has(path)) continue;
    findings.add(
      'EDITABLE_UNKNOWN_NODE',
      `[editable] path "${editable.path}" names no node of the scene`,
      editable.section.attributes.get('path') ?? editable,
    );
  }
}
