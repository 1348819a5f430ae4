import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { findUnstorableText } from '../../http/input';
import { followUpContext } from '../follow-ups/follow-ups.policy';
import { findDownloadableFile, insertFile } from './files.repo';

/** Attachments are capped here (the multipart plugin allows more for imports). */
export const maxFileBytes = 20 * 1024 * 1024;

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  mime: string;
}

function filesRoot(deps: Deps): string {
  return path.resolve(deps.config.dataDir, 'files');
}

/** Only the base name, no control characters, bounded; what a person would call the file. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = Array.from(base.replace(/[\u0000-\u001f\u007f]/g, '').trim()).slice(0, 200).join('');
  return cleaned === '' || cleaned === '.' || cleaned === '..' || findUnstorableText(cleaned, 'name') !== null ? 'file' : cleaned;
}

function cleanMime(raw: string | undefined): string {
  return raw && raw.length <= 100 && /^[\w.+-]+\/[\w.+-]+$/.test(raw) ? raw.toLowerCase() : 'application/octet-stream';
}

/**
 * Stores an uploaded file under <dataDir>/files/<workspaceId>/<id>, streamed to disk (never held
 * in memory) with its SHA-256 computed on the way, and records it. Over 20 MB → 413.
 */
export async function storeUpload(deps: Deps, auth: AuthContext, part: MultipartFile): Promise<StoredFile> {
  const id = newId();
  const storageKey = `${auth.workspaceId}/${id}`;
  const target = path.join(filesRoot(deps), auth.workspaceId, id);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, measure, fs.createWriteStream(target, { flags: 'wx' }));
    if (part.file.truncated) {
      throw new AppError('payload_too_large', { detail: `Files may be at most ${maxFileBytes / 1024 / 1024} MB` });
    }
    const file: StoredFile = { id, name: cleanFileName(part.filename), size, mime: cleanMime(part.mimetype) };
    await insertFile(deps.db, {
      ...file,
      workspaceId: auth.workspaceId,
      sha256: hash.digest('hex'),
      storageKey,
      createdBy: auth.userId,
      createdAt: nowIso(deps),
    });
    return file;
  } catch (error) {
    await fs.promises.rm(target, { force: true });
    if (error instanceof AppError) {
      throw error;
    }
    if ((error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', { detail: `Files may be at most ${maxFileBytes / 1024 / 1024} MB` });
    }
    throw error;
  }
}

/** A file the caller may download (they uploaded it, or see a follow-up that carries it), opened for reading. */
export async function openDownload(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await followUpContext(deps, auth, { lenient: true });
  const file = await findDownloadableFile(deps.db, ctx, id);
  if (!file) {
    throw new AppError('not_found');
  }
  return { file, stream: openStoredFile(deps, file) };
}

/** A stored file's content, for reading; a file whose content is gone (or lies outside the files folder) is a 404. */
export function openStoredFile(deps: Deps, file: { storageKey: string }): fs.ReadStream {
  const root = filesRoot(deps);
  const location = path.resolve(root, file.storageKey);
  if (!location.startsWith(`${root}${path.sep}`) || !fs.existsSync(location)) {
    throw new AppError('not_found', { detail: 'The file content is missing' });
  }
  return fs.createReadStream(location);
}

/** Removes stored contents (files deleted for good, after their rows' transaction committed); one already gone is fine. */
export async function removeStoredFiles(deps: Deps, storageKeys: readonly string[]): Promise<void> {
  const root = filesRoot(deps);
  for (const key of storageKeys) {
    const location = path.resolve(root, key);
    if (location.startsWith(`${root}${path.sep}`)) {
      await fs.promises.rm(location, { force: true });
    }
  }
}

/** Answers with a file as a download. */
export function sendFile(reply: FastifyReply, file: { name: string; mime: string; size: number | string }, stream: fs.ReadStream): FastifyReply {
  return reply.header('Content-Type', file.mime).header('Content-Length', String(file.size)).header('Content-Disposition', contentDisposition(file.name)).send(stream);
}

/** attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
