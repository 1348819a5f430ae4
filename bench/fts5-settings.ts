/**
 * FTS5's own write settings against the import's indexing stage: N docs shaped like the import
 * bench's customers go into an external-content trigram table through the same kind of trigger as
 * search_docs, in 10 000-doc transactions (the stage's window), under one of FTS5's configuration
 * variants. Prints the insert time, a closing merge where automatic merging was off, and the time
 * of a substring query afterwards (more segments make queries slower).
 *
 *   node bin/run-ts.mjs bench/fts5-settings.ts [--docs 500000] [--variant default|am8|hash64|am0]
 *
 * Variants: `am8` automerge 8 (default 4); `hash64` a 64 MiB in-memory hash before a flush (default
 * 1 MiB); `am0` automerge off and crisismerge 1 000 during the load, then 'merge' until done.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';

const { values: args } = parseArgs({ options: { docs: { type: 'string', default: '500000' }, variant: { type: 'string', default: 'default' } } });
const docs = Number(args.docs);
const variants: Record<string, [string, number][]> = {
  default: [],
  am8: [['automerge', 8]],
  hash64: [['hashsize', 64 * 1024 * 1024]],
  am0: [
    ['automerge', 0],
    ['crisismerge', 1000],
  ],
};
const settings = variants[args.variant];
if (!settings) {
  throw new Error(`unknown variant ${args.variant}; one of ${Object.keys(variants).join(', ')}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-fts5-'));
const db = new SQLite(path.join(dir, 'fts.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -49152');
db.exec(`create table docs (id integer primary key, name text, company text, phone text, email text);
  create virtual table fts using fts5(name, company, phone, email, content='docs', content_rowid='id', tokenize='trigram');
  create trigger docs_ai after insert on docs begin
    insert into fts(rowid, name, company, phone, email) values (new.id, new.name, new.company, new.phone, new.email);
  end;`);
for (const [key, value] of settings) {
  // FTS5 reads these as integers; better-sqlite3 binds a JS number as a double, which it refuses.
  db.exec(`insert into fts(fts, rank) values('${key}', ${Math.trunc(value)})`);
}

const cities = ['上海', '北京', '深圳', '杭州', '南京', '成都'];
const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const words = ['科技', '贸易', '电子', '物流', '咨询', '制造', '传媒', '教育'];
const name = (i: number) => `${cities[i % 6] ?? ''}${surnames[i % 10] ?? ''}氏${words[(i >> 3) % 8] ?? ''}${i}有限公司`;
const insert = db.prepare('insert into docs values (?, ?, ?, ?, ?)');
const t0 = performance.now();
for (let start = 0; start < docs; start += 10_000) {
  db.transaction(() => {
    for (let i = start; i < Math.min(docs, start + 10_000); i += 1) {
      insert.run(i + 1, name(i), null, `1${String(3_000_000_000 + i).slice(0, 10)}`, `c${i}@bench.example`);
    }
  })();
}
const insertSeconds = (performance.now() - t0) / 1000;

let mergeSeconds = 0;
if (args.variant === 'am0') {
  const m0 = performance.now();
  const changes = db.prepare<[], { n: number }>('select total_changes() as n');
  for (;;) {
    const before = changes.get()?.n ?? 0;
    db.exec("insert into fts(fts, rank) values('merge', -64)");
    // 'merge' writes fewer than two rows once nothing is left to merge.
    if ((changes.get()?.n ?? 0) - before < 2) {
      break;
    }
  }
  mergeSeconds = (performance.now() - m0) / 1000;
}

const count = db.prepare<[string], { n: number }>('select count(*) as n from fts where fts match ?');
const q0 = performance.now();
let hits = 0;
for (let i = 0; i < 50; i += 1) {
  hits += count.get(`"${surnames[i % 10] ?? ''}氏${words[i % 8] ?? ''}${i * 37}"`)?.n ?? 0;
}
const queryMs = (performance.now() - q0) / 50;
const mb = fs.statSync(path.join(dir, 'fts.db')).size / 1e6;
db.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ variant: args.variant, docs, insertSeconds: Number(insertSeconds.toFixed(2)), mergeSeconds: Number(mergeSeconds.toFixed(2)), queryMs: Number(queryMs.toFixed(2)), hits, fileMB: Math.round(mb) }));
