/**
 * The authorisation version (authz-cache.ts) some request data was read at, remembered on the
 * object itself (a role id list, a Permissions object) so later steps of the same request need
 * not read it again: on PostgreSQL every such read is a round trip.
 */
const stamps = new WeakMap<object, { workspaceId: string; version: number }>();

export function stampVersion(target: object, workspaceId: string, version: number): void {
  stamps.set(target, { workspaceId, version });
}

export function stampedVersion(target: object | undefined, workspaceId: string): number | undefined {
  const stamp = target ? stamps.get(target) : undefined;
  return stamp && stamp.workspaceId === workspaceId ? stamp.version : undefined;
}
