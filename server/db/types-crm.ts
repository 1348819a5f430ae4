// Tables of the CRM modules (customers, contacts, follow-ups, search, jobs, imports, exports).
// Split from types.ts by sub-resource; the Database interface there lists them all.
import type { Generated } from 'kysely';
import type { TimelineKind } from '../../common/timeline-kinds';
import type { Flag, JsonColumn, Timestamp } from './types';

export interface PicklistOptionsTable {
  id: string;
  workspaceId: string;
  listKey: string;
  value: string;
  label: string;
  color: string | null;
  sort: number;
  active: Flag;
  createdAt: Timestamp;
}

export interface TagsTable {
  id: string;
  workspaceId: string;
  name: string;
  color: string;
  createdAt: Timestamp;
  version: Generated<number>;
}

export interface RecordTagsTable {
  workspaceId: string;
  entity: string;
  recordId: string;
  tagId: string;
}

export interface CustomFieldsTable {
  id: string;
  workspaceId: string;
  entity: string;
  key: string;
  label: string;
  type: string;
  required: Flag;
  isUnique: Flag;
  options: JsonColumn | null;
  sort: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface CustomersTable {
  id: string;
  workspaceId: string;
  name: string;
  nameKey: string;
  kind: string;
  phone: string | null;
  phoneKey: string | null;
  email: string | null;
  emailKey: string | null;
  website: string | null;
  level: string | null;
  source: string | null;
  industry: string | null;
  lifecycleStage: string;
  dealStatus: string;
  ownerId: string | null;
  locked: Flag;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  primaryContactId: string | null;
  remark: string | null;
  lastFollowupAt: Timestamp | null;
  lastFollowupContent: string | null;
  nextFollowupAt: Timestamp | null;
  ownerSince: Timestamp | null;
  custom: JsonColumn | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  deletedBy: string | null;
  version: Generated<number>;
  /** 0005: the customer this one was merged into (it is deleted then). */
  mergedInto: Generated<string | null>;
  /** 0009: the public pool 公海 it sits in without owner (or goes back to); null = the default pool. */
  poolId: Generated<string | null>;
  /** 0009: who owned it before it went to the pool, and when (the previous-owner cool-down). */
  previousOwnerId: Generated<string | null>;
  releasedAt: Generated<Timestamp | null>;
}

export interface CustomerCollaboratorsTable {
  workspaceId: string;
  customerId: string;
  userId: string;
  access: 'read' | 'write';
  expiresAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface ContactsTable {
  id: string;
  workspaceId: string;
  customerId: string;
  ownerId: string | null;
  name: string;
  phone: string | null;
  phoneKey: string | null;
  email: string | null;
  emailKey: string | null;
  title: string | null;
  department: string | null;
  wechat: string | null;
  isPrimary: Flag;
  isDecisionMaker: Flag;
  remark: string | null;
  lastFollowupAt: Timestamp | null;
  /** 0003: the last follow-up's text, as on customers. */
  lastFollowupContent: string | null;
  nextFollowupAt: Timestamp | null;
  custom: JsonColumn | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface FollowUpsTable {
  id: string;
  workspaceId: string;
  entity: string;
  recordId: string;
  customerId: string | null;
  contactId: string | null;
  type: string;
  content: string;
  nextFollowupAt: Timestamp | null;
  attachments: JsonColumn | null;
  ownerId: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

/** 0003: which files a follow-up carries (its attachments JSON is the presented copy). */
export interface FollowUpFilesTable {
  workspaceId: string;
  followUpId: string;
  fileId: string;
  createdAt: Timestamp;
}

export interface TimelineEventsTable {
  id: string;
  workspaceId: string;
  customerId: string;
  entity: string;
  recordId: string;
  /** One of common/timeline-kinds.ts, so no writer can add a kind the timeline filter refuses. */
  kind: TimelineKind;
  actorUserId: string | null;
  data: JsonColumn | null;
  createdAt: Timestamp;
}

export interface SavedViewsTable {
  id: string;
  workspaceId: string;
  entity: string;
  name: string;
  ownerId: string;
  shared: Flag;
  definition: JsonColumn;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface FilesTable {
  id: string;
  workspaceId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
  createdBy: string | null;
  createdAt: Timestamp;
}

/** 0004: the durable job queue (server/jobs). */
export interface JobsTable {
  id: string;
  workspaceId: string | null;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  payload: JsonColumn;
  progress: JsonColumn | null;
  attempts: Generated<number>;
  maxAttempts: number;
  runAt: Timestamp;
  lockedBy: string | null;
  lockedUntil: Timestamp | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

/** 0004: an uploaded import file, its mapping and its progress (the resume cursor is nextRow). */
export interface ImportsTable {
  id: string;
  workspaceId: string;
  entity: string;
  status: 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  fileName: string;
  storageKey: string;
  format: string;
  encoding: string;
  delimiter: string;
  size: number;
  columns: JsonColumn;
  rowCount: number;
  rowCountExact: Flag;
  mapping: JsonColumn | null;
  duplicateMode: string | null;
  jobId: string | null;
  total: Generated<number>;
  processed: Generated<number>;
  createdCount: Generated<number>;
  updatedCount: Generated<number>;
  skippedCount: Generated<number>;
  failedCount: Generated<number>;
  nextRow: Generated<number>;
  elapsedMs: Generated<number>;
  error: string | null;
  createdBy: string | null;
  apiKeyId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

/** 0004: rows an import could not take, with the reason and the original cells. */
export interface ImportErrorsTable {
  workspaceId: string;
  importId: string;
  rowNumber: number;
  reason: string;
  cells: JsonColumn;
}

/** 0004: the column → field choices a workspace made, offered first next time. */
export interface ImportMappingsTable {
  workspaceId: string;
  entity: string;
  headerKey: string;
  field: string | null;
  updatedAt: Timestamp;
}

/** 0004: an export request and its file. */
export interface ExportsTable {
  id: string;
  workspaceId: string;
  entity: string;
  format: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  request: JsonColumn;
  fileName: string;
  storageKey: string | null;
  size: number | null;
  total: Generated<number>;
  processed: Generated<number>;
  jobId: string | null;
  error: string | null;
  createdBy: string | null;
  apiKeyId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

/** 0005: one row per live customer and contact, its text folded for search (see modules/search). */
export interface SearchDocsTable {
  id: Generated<number>;
  workspaceId: string;
  /** customer, contact, or another entity indexed through search.index.ts's indexDocs. */
  entity: string;
  recordId: string;
  customerId: string;
  ownerId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  /** PostgreSQL only: the names' 1–2 character n-grams (SQLite keeps them in the search_grams FTS5 table). */
  grams?: string[];
}
