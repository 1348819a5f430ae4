import argon2 from 'argon2';
import { AppError } from '../../http/app-error';

export interface PasswordOptions {
  memoryKib: number;
}

export function hashPassword(password: string, options: PasswordOptions): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: options.memoryKib, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check when the email is unknown, so timing does not reveal accounts. */
export async function burnPasswordCheck(password: string, options: PasswordOptions): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing', options);
  await verifyPassword(await dummyHash, password);
}

export const passwordMinLength = 10;
export const passwordMaxLength = 200;

/** Policy: at least 10 characters, at most 200, and not the email (or its name part). */
export function assertPasswordPolicy(password: string, email: string): void {
  const problems: string[] = [];
  // Characters as people count them (code points), not UTF-16 units: 5 emoji are 5 characters.
  const length = [...password].length;
  if (length < passwordMinLength) {
    problems.push(`must be at least ${passwordMinLength} characters`);
  }
  if (length > passwordMaxLength) {
    problems.push(`must be at most ${passwordMaxLength} characters`);
  }
  const lower = password.trim().toLowerCase();
  const mail = email.trim().toLowerCase();
  if (lower === mail || lower === mail.split('@')[0]) {
    problems.push('must not be your email');
  }
  if (problems.length > 0) {
    throw new AppError('password_policy', { errors: problems.map((message) => ({ path: 'password', message })) });
  }
}
