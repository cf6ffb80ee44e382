/**
 * What the server last saw of each namespace, so that admission's
 * NamespaceLifecycle check (the namespace exists and is not terminating)
 * needs no store read per create, like upstream's informer-backed plugin.
 * Fed by this server's own writes and reads (ObjectStore) and by the
 * namespace controller's watch (other servers' writes); only "active"
 * answers are trusted, anything else is looked up live.
 */
import type { KubeObject } from '../types.js';

export const NAMESPACES_KEY_PREFIX = '/registry/core/namespaces/';

export class NamespaceCache {
  private readonly seen = new Map<string, { active: boolean; revision: number }>();

  /** Records a namespace at a revision (undefined object: deleted); older news never replaces newer. */
  observe(name: string, obj: KubeObject | undefined, revision: number): void {
    const prev = this.seen.get(name);
    if (prev !== undefined && prev.revision > revision) return;
    this.seen.set(name, { active: obj !== undefined && obj.metadata.deletionTimestamp === undefined, revision });
  }

  /** True when the namespace was last seen existing and not terminating. */
  isActive(name: string): boolean {
    return this.seen.get(name)?.active === true;
  }
}
