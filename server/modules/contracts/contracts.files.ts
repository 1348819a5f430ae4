import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { openStoredFile } from '../files/files.service';
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
  return { file, stream: openStoredFile(deps, file) };
}
