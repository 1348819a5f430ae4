import { randomBytes } from 'node:crypto';
import type { Client, Json, Response } from '../../testing/test-app';

/** Test helpers: real multipart uploads and real files (CSV in any encoding, XLSX). */

export function multipartBody(fields: Record<string, string>, file: { name: string; content: Buffer; type?: string } | null): { payload: Buffer; contentType: string } {
  const boundary = `----haoke${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function uploadImport<T = Json>(client: Client, name: string, content: Buffer, entity = 'customer'): Promise<Response<T>> {
  const body = multipartBody({ entity }, { name, content });
  return client.request<T>('POST', '/api/v1/imports', body.payload, { 'content-type': body.contentType });
}

/** RFC 4180 CSV text (quotes when needed), CRLF line ends as Excel writes them. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`;
}
