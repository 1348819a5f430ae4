import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { type Client, createTestApp, type Response, type TestApp } from '../../testing/test-app';

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** A multipart/form-data body with one file part, as a browser sends it. */
export function multipartBody(field: string, name: string, content: Buffer | string, mime = 'application/octet-stream'): { body: Buffer; contentType: string } {
  const boundary = `----haoke${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, 'utf8'), Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads through POST /api/v1/files (for tests). */
export function uploadFile(client: Client, name: string, content: Buffer | string, mime = 'text/plain', field = 'file'): Promise<Response<UploadedFile>> {
  const { body, contentType } = multipartBody(field, name, content, mime);
  return client.request<UploadedFile>('POST', '/api/v1/files', body, { 'content-type': contentType });
}

/**
 * A private data directory for createTestApp, so uploads never land in ./data: on PostgreSQL the
 * test app has no other (SQLite runs use their database's temporary directory instead).
 */
export function tempDataDir(): { dataDir: string; remove: () => void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-files-'));
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * A file row without content on disk, for walks that only need a file id to present (nothing is
 * downloaded). Uploading would write under ./data on PostgreSQL runs.
 */
export async function insertFileRow(deps: Deps, workspaceId: string, createdBy: string | null): Promise<string> {
  const id = newId();
  await deps.db
    .insertInto('files')
    .values({ id, workspaceId, name: 'walk.txt', mime: 'text/plain', size: 0, sha256: createHash('sha256').digest('hex'), storageKey: `${workspaceId}/${id}`, createdBy, createdAt: nowIso(deps) })
    .execute();
  return id;
}

/**
 * A test app with a private data directory for uploads (tempDataDir), made before the suite and
 * closed, with the directory, after it: `let t: TestApp; useFilesTestApp((app) => (t = app));`
 */
export function useFilesTestApp(ready: (app: TestApp) => void): void {
  const files = tempDataDir();
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp({ dataDir: files.dataDir });
    ready(app);
  });
  afterAll(async () => {
    await app?.close();
    files.remove();
  });
}
