/**
 * The node paths a scene makes available to its own sections: the nodes it
 * declares, plus the nodes of each instanced scene under that instance's
 * path and, for an inherited scene, the nodes of its base scene. A subtree
 * that could not be read (binary `.scn`, missing file, parse error, cycle)
 * is opaque: every path inside it is accepted, because its real problem is
 * reported elsewhere.
 */
export class NodeTree {
  private readonly declared = new Set<string>();
  private readonly instances = new Map<string, NodeTree | null>();
  /** Base scene of an inherited scene; null when opaque, undefined when the scene is not inherited. */
  base: NodeTree | null | undefined;

  /** Records a node declared in this scene at a root-relative path (`"."` is the root). */
  declare(path: string): void {
    this.declared.add(path);
  }

  /** Records that the node at `path` instances another scene (null: its content is unknown). */
  attachInstance(path: string, tree: NodeTree | null): void {
    this.instances.set(path, tree);
  }

  /** Tells whether this scene declares a node at `path` itself. */
  declares(path: string): boolean {
    return this.declared.has(path);
  }

  /**
   * Tells whether `path` (root-relative, already normalized) names a node of
   * this scene or of a scene it instances.
   */
  has(path: string): boolean {
    if (this.declared.has(path)) return true;
    const segments = path.split('/');
    for (let end = segments.length - 1; end >= 1; end--) {
      const prefix = segments.slice(0, end).join('/');
      const instance = this.instances.get(prefix);
      if (instance === undefined) continue;
      return instance === null || instance.has(segments.slice(end).join('/'));
    }
    if (this.base === undefined) return false;
    return this.base === null || this.base.has(path);
  }
}

/**
 * Normalizes a root-relative node path as the engine simplifies it: removes
 * `./` segments and a trailing slash. Returns undefined for paths this check
 * cannot follow: absolute paths, `..`, unique names (`%Name`) and subnames.
 */
export function normalizeNodePath(path: string): string | undefined {
  if (path === '' || path === '.') return '.';
  if (path.startsWith('/') || path.includes('%') || path.includes(':')) return undefined;
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return undefined;
  return segments.length === 0 ? '.' : segments.join('/');
}

/** Joins a parent path and a child name into the child's root-relative path. */
export function childPath(parent: string, name: string): string {
  return parent === '.' ? name : `${parent}/${name}`;
}
