import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../http/app-error';
import { saveUpload } from './imports.files';

export interface ReceivedUpload {
  fields: Record<string, string>;
  /** Saved under a temporary name next to its final place; the service renames or deletes it. */
  file: { path: string; fileName: string; size: number } | null;
}

/** Imports may be big (a million rows is ~150 MB of CSV); they are streamed to disk, never buffered. */
export const maxImportBytes = 1024 ** 3;

/** A file name as stored and shown: no directories, no characters a database refuses. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const clean = Array.from(base, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    // Control characters and unpaired surrogates: no database stores them, nobody types them.
    return code < 32 || code === 127 || (code >= 0xd800 && code <= 0xdfff) ? '_' : ch;
  })
    .join('')
    .slice(0, 200);
  return clean === '' ? 'upload' : clean;
}

const multipartErrors: Record<string, 'payload_too_large' | 'validation_failed'> = {
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'validation_failed',
  FST_FIELDS_LIMIT: 'validation_failed',
  FST_PARTS_LIMIT: 'validation_failed',
  FST_PROTO_VIOLATION: 'validation_failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'validation_failed',
};

/** Reads a multipart upload: the `file` part streamed to `dir`, the other fields as text. */
export async function receiveUpload(request: FastifyRequest, dir: string): Promise<ReceivedUpload> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', { detail: 'Send multipart/form-data with a "file" part' });
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const received: ReceivedUpload = { fields: {}, file: null };
  try {
    for await (const part of request.parts({ limits: { fileSize: maxImportBytes, files: 1, fields: 10, fieldSize: 1000 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || received.file) {
          part.file.resume();
          continue;
        }
        const target = path.join(dir, `.upload-${randomBytes(8).toString('hex')}`);
        received.file = { path: target, fileName: safeFileName(part.filename), size: 0 };
        received.file.size = await saveUpload(part.file, target);
        if (part.file.truncated) {
          throw new AppError('payload_too_large');
        }
      } else {
        received.fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (error) {
    if (received.file) {
      await fs.promises.rm(received.file.path, { force: true });
    }
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const mapped = multipartErrors[code];
    if (mapped) {
      throw new AppError(mapped, { detail: error instanceof Error ? error.message : undefined });
    }
    throw error;
  }
  return received;
}
