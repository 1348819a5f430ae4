import { performance } from 'node:perf_hooks';
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * Per-statement time of the recycling sweep, for bench/recycle-bench.ts: a Kysely plugin that
 * notes when each query is handed to the driver and when its result comes back, and adds the
 * time to the statement's kind (pick, history, timeline, update customers / contacts / search
 * docs, other). On SQLite the statement runs in this thread, so the time is its CPU + I/O; on
 * PostgreSQL it includes the round trip, and statements of concurrent ranges overlap (the sums
 * then exceed the wall time).
 */
export class StatementProfile implements KyselyPlugin {
  private readonly started = new WeakMap<object, { kind: string; at: number }>();
  readonly totals = new Map<string, { ms: number; count: number }>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, { kind: kindOf(args.node), at: performance.now() });
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId);
    if (start) {
      const total = this.totals.get(start.kind) ?? { ms: 0, count: 0 };
      total.ms += performance.now() - start.at;
      total.count += 1;
      this.totals.set(start.kind, total);
    }
    return Promise.resolve(args.result);
  }

  /** One line per kind, the slowest first: "update customers 12.3 s (200×, 51 %)". */
  report(): string[] {
    const all = [...this.totals.values()].reduce((sum, t) => sum + t.ms, 0);
    return [...this.totals.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([kind, t]) => `${kind}: ${(t.ms / 1000).toFixed(2)} s (${t.count}×, ${all > 0 ? Math.round((100 * t.ms) / all) : 0} %)`);
  }
}

/** The name of the first table a node mentions (snake or camel case, whichever the node holds). */
function firstTable(node: unknown): string {
  const match = /"kind":"TableNode".*?"identifier":\{"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(node));
  return (match?.[1] ?? '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function kindOf(node: OperationNode): string {
  switch (node.kind) {
    case 'SelectQueryNode':
      return firstTable(node) === 'customers' ? 'pick (select … for update skip locked)' : 'other select';
    case 'InsertQueryNode': {
      const table = firstTable(node);
      return table === 'ownership_changes' ? 'history (insert … select)' : table === 'timeline_events' ? 'timeline (insert … select)' : `insert ${table}`;
    }
    case 'UpdateQueryNode':
      return `update ${firstTable(node)}`;
    default:
      return 'other (settings, splits, pool list)';
  }
}
