import type { AuthContext } from '../server/http/auth-context';
import { parseListQuery } from '../server/list/parse-list';
import { followUpContext } from '../server/modules/follow-ups/follow-ups.policy';
import { followUpListSpec } from '../server/modules/follow-ups/follow-ups.list-spec';
import { countFollowUps, followUpTuning, listFollowUpRows, scanSlice } from '../server/modules/follow-ups/follow-ups.repo';
import { scansRows } from '../server/list/list-reads';
import { withContentSearch } from '../server/modules/follow-ups/follow-ups.service';
import { fieldAccess } from '../server/modules/permissions/permissions.service';
import type { HttpClient, SignedIn } from './http-client';
import { type CaseResult, measurePair } from './measure';
import { type CapturedQuery, type RawDatabase } from './raw';
import { log, options, wantedCase } from './run-options';
import { summarize } from './stats';

/** What the follow-up cases need from the list suite's run. */
export interface FollowUpCaseInput {
  raw: RawDatabase;
  client: HttpClient;
  managers: readonly SignedIn[];
  managerAuth: readonly AuthContext[];
  /** Each manager's owners in scope (their team). */
  scopes: readonly string[][];
  /** The data's "now": follow-ups were generated up to it. */
  nowMs: number;
}

/** The page query (and the count, when asked) exactly as listFollowUps builds them. */
async function captureFollowUps(raw: RawDatabase, auth: AuthContext, query: Record<string, string>): Promise<CapturedQuery[]> {
  const ctx = await followUpContext(raw.deps, auth);
  const list = withContentSearch(parseListQuery(query, followUpListSpec, [], (f) => fieldAccess(auth.permissions, 'followUp', f)));
  // As the service: a content search first finds where its slice ends, and reads only that far.
  const scanning = scansRows(list);
  const slice = scanning ? await raw.capture(() => scanSlice(raw.db, raw.dialect, auth.workspaceId, list, followUpTuning.scanRows)) : [];
  const through = scanning ? await scanSlice(raw.db, raw.dialect, auth.workspaceId, list, followUpTuning.scanRows) : null;
  let page = await raw.capture(() => listFollowUpRows(raw.db, raw.dialect, ctx, list, { through }));
  if (through && raw.dialect === 'postgres') {
    // The slice runs in its own transaction (its `set local`), whose begin and commit the log leaves out.
    page = [{ sql: 'begin', parameters: [] }, ...page, { sql: 'commit', parameters: [] }];
  }
  const count = list.count && !scanning ? await raw.capture(() => countFollowUps(raw.db, raw.dialect, ctx, list)) : [];
  return [...slice, ...page, ...count];
}

/**
 * (h) The follow-up records list 跟进记录 over 5M follow-ups, as sales managers: the newest page,
 * its count, a week's visits and meetings, one rep and three reps of the team, a page a year back, and the
 * content search (a scan, run as a long read, one slice per request) for a common phrase and for
 * one nobody wrote.
 */
export async function followUpCases(input: FollowUpCaseInput): Promise<CaseResult[]> {
  const { raw, client, managers, managerAuth, scopes, nowMs } = input;
  const results: CaseResult[] = [];
  if (!wantedCase('h') || managers.length === 0) {
    return results;
  }
  const M = managers.length;
  const week = new Date(nowMs - 7 * 86_400_000).toISOString();
  const yearAgo = new Date(nowMs - 365 * 86_400_000).toISOString();
  const cases: { id: string; title: string; query: (m: number) => Record<string, string> }[] = [
    { id: 'h1', title: 'follow-up records: newest 50', query: () => ({ limit: '50' }) },
    // The web page asks for the count on its own (limit=1&count=true) and shows the rows without waiting for it.
    { id: 'h1c', title: 'follow-up records: the count (exact up to 1 000)', query: () => ({ limit: '1', count: 'true' }) },
    { id: 'h2', title: 'follow-up records: last 7 days, type in visit,meeting', query: () => ({ limit: '50', 'createdAt[gte]': week, 'type[in]': 'visit,meeting' }) },
    { id: 'h3', title: "follow-up records: one rep's, newest 50", query: (m) => ({ limit: '50', ownerId: scopes[m]?.[1] ?? scopes[m]?.[0] ?? '' }) },
    { id: 'h3b', title: 'follow-up records: three reps of the team, newest 50', query: (m) => ({ limit: '50', 'ownerId[in]': (scopes[m] ?? []).slice(1, 4).join(',') }) },
    { id: 'h4', title: 'follow-up records: a year back (createdAt[lt])', query: () => ({ limit: '50', 'createdAt[lt]': yearAgo }) },
    { id: 'h5', title: 'follow-up records: q=报价单 (content scan)', query: () => ({ limit: '50', q: '报价单' }) },
    { id: 'h6', title: 'follow-up records: q=查无此事 (matches nothing: one slice of the scan)', query: () => ({ limit: '50', q: '查无此事' }) },
  ];
  for (const c of cases) {
    log(`  ${c.id} ${c.title}…`);
    const captured = await Promise.all(managerAuth.map((auth, m) => captureFollowUps(raw, auth, c.query(m))));
    const n = c.id === 'h6' ? Math.min(options.iterations, 20) : options.iterations;
    const { http, raw: rawS } = await measurePair(
      raw,
      n,
      (i) => client.get(`/api/v1/follow-ups?${new URLSearchParams(c.query(i % M)).toString()}`, managers[i % M]),
      (i) => captured[i % M] ?? [],
    );
    results.push({ id: c.id, title: c.title, as: `sales manager (${scopes[0]?.length ?? 0} owners)`, http: summarize(http.samples), raw: rawS, errors: http.errors, target: '–', verdict: http.errors === 0 ? '–' : `${http.errors} errors` });
  }
  return results;
}
