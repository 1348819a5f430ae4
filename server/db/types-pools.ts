// Tables of the public pool 公海 and the job scheduler (migration 0009-pools). The pool columns
// of customers (poolId, previousOwnerId, releasedAt) are on CustomersTable in types-crm.ts.
import type { Flag, JsonColumn, Timestamp } from './types';

export interface JobScheduleRunsTable {
  uniqueKey: string;
  workspaceId: string | null;
  kind: string;
  period: string;
  jobId: string;
  createdAt: Timestamp;
}

export interface PoolsTable {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  isDefault: Flag | null;
  allUsers: Flag;
  claimDailyLimit: number | null;
  cooldownDays: number | null;
  recycleEnabled: Flag;
  exemptDealt: Flag;
  exemptLocked: Flag;
  warnDays: number;
  rules: JsonColumn;
  sort: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: number;
}

export interface PoolMembersTable {
  workspaceId: string;
  poolId: string;
  subjectType: 'user' | 'department';
  subjectId: string;
  role: 'member' | 'admin';
  createdAt: Timestamp;
}

export interface PoolClaimCountsTable {
  workspaceId: string;
  poolId: string;
  userId: string;
  day: string;
  count: number;
}

export interface OwnershipLimitsTable {
  id: string;
  workspaceId: string;
  subjectType: 'workspace' | 'department' | 'user';
  subjectId: string;
  maxOwned: number | null;
  excludeDealt: Flag;
  maxLocked: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface OwnershipChangesTable {
  id: string;
  workspaceId: string;
  customerId: string;
  action: 'claim' | 'assign' | 'release' | 'recycle' | 'transfer' | 'create';
  fromUserId: string | null;
  toUserId: string | null;
  poolId: string | null;
  reason: string | null;
  rule: string | null;
  actorUserId: string | null;
  createdAt: Timestamp;
}

export interface PoolsTables {
  jobScheduleRuns: JobScheduleRunsTable;
  pools: PoolsTable;
  poolMembers: PoolMembersTable;
  poolClaimCounts: PoolClaimCountsTable;
  ownershipLimits: OwnershipLimitsTable;
  ownershipChanges: OwnershipChangesTable;
}
