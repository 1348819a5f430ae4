import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { contractContext } from './contracts.context';
import { findFiles } from './contracts.repo';
import { loadContract } from './contracts.service';

/** An attachment of a contract the caller can see, opened for reading. */
export async function openContractFile(deps: Deps, auth: AuthContext, contractId: string, fileId: string) {
  await loadContract(deps, await contractContext(deps, auth), contractId);
  const file = (await findFiles(deps.db, auth.workspaceId, contractId)).find((f) => f.id === fileId);
  if (!file) {
    throw new AppError('not_found');
  }
  const root = path.resolve(deps.config.dataDir, 'files');
  const location = path.resolve(root, file.storageKey);
  if (!location.startsWith(`${root}${path.sep}`) || !fs.existsSync(location)) {
    throw new AppError('not_found', { detail: 'The file content is missing' });
  }
  return { file, stream: fs.createReadStream(location) };
}
