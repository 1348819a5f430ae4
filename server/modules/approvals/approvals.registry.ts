import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';

/** What a subject hook learns about the approval that moved. Hooks run inside the engine's transaction. */
export interface ApprovalEvent {
  deps: Deps;
  /** The engine's transaction: write through it so the subject and the approval commit together. */
  trx: Kysely<Database>;
  workspaceId: string;
  subjectType: string;
  subjectId: string;
  instanceId: string;
  submitterId: string;
  /** Who caused this event (the submitter, the deciding approver); null for automatic decisions. */
  actorId: string | null;
  comment: string | null;
  amountCents: number | null;
  /** ISO timestamp of the event (the engine's clock). */
  at: string;
}

/** How a subject appears in to-do lists and history: a title and a web path to open it. */
export interface ApprovalSubjectDescription {
  title: string;
  path: string | null;
}

/**
 * A module whose records go through approval (contract, payment, …). Every hook is optional and
 * may throw an AppError to refuse the change (the whole transaction then rolls back).
 */
export interface ApprovalSubject {
  onSubmitted?: (event: ApprovalEvent) => Promise<void>;
  onApproved?: (event: ApprovalEvent) => Promise<void>;
  onRejected?: (event: ApprovalEvent) => Promise<void>;
  onWithdrawn?: (event: ApprovalEvent) => Promise<void>;
  /** The web path that opens a subject (for to-do lists and approval pages). */
  link?: (subjectId: string) => string;
  /** Title and link of a subject, read when it is submitted (the title is stored with the approval). */
  describe?: (trx: Kysely<Database>, workspaceId: string, subjectId: string) => Promise<ApprovalSubjectDescription | null>;
}

const registry = new Map<string, ApprovalSubject>();

/** Plugs a subject type into the approval engine. Idempotent: the last registration wins. */
export function registerApprovalSubject(type: string, subject: ApprovalSubject): void {
  registry.set(type, subject);
}

export function approvalSubject(type: string): ApprovalSubject | undefined {
  return registry.get(type);
}

export function approvalSubjectTypes(): string[] {
  return [...registry.keys()].sort();
}
