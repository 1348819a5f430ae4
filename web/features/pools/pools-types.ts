/** Shapes of the public pool 公海 API (docs/sales-pools.md). */

export type RecycleRuleKind = "no_followup" | "no_deal" | "not_dealt";

export interface PoolRule {
  level: string | null;
  noFollowupDays: number | null;
  noDealDays: number | null;
  notDealtDays: number | null;
}

export interface PoolMember {
  type: "user" | "department";
  id: string;
  name: string | null;
}

export interface Pool {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  allUsers: boolean;
  members: PoolMember[];
  admins: { id: string; name: string | null }[];
  claimDailyLimit: number | null;
  cooldownDays: number | null;
  recycleEnabled: boolean;
  exemptDealt: boolean;
  exemptLocked: boolean;
  warnDays: number;
  rules: PoolRule[];
  customerCount: number;
  isMember: boolean;
  isAdmin: boolean;
  canManage: boolean;
  claimedToday: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PoolInput {
  name: string;
  description?: string | null;
  allUsers: boolean;
  members: { type: "user" | "department"; id: string }[];
  admins: string[];
  claimDailyLimit: number | null;
  cooldownDays: number | null;
  recycleEnabled: boolean;
  exemptDealt: boolean;
  exemptLocked: boolean;
  warnDays: number;
  rules: PoolRule[];
}

export interface PoolCustomer {
  id: string;
  name: string;
  level: string | null;
  source: string | null;
  industry: string | null;
  province: string | null;
  city: string | null;
  dealStatus: string;
  lastFollowupAt: string | null;
  releasedAt: string | null;
  previousOwnerId: string | null;
  previousOwnerName: string | null;
  createdAt: string;
}

export interface PoolCustomerFilters {
  q: string;
  level: string | null;
  source: string | null;
  industry: string | null;
}

export interface BulkResult {
  done: string[];
  failed: { id: string; code: string; message: string }[];
}

export interface ExpiringCustomer {
  id: string;
  name: string;
  level: string | null;
  poolId: string;
  poolName: string;
  rule: RecycleRuleKind;
  days: number;
  recycleAt: string;
}

export type LimitSubjectType = "workspace" | "department" | "user";

export interface OwnershipLimit {
  id: string;
  subjectType: LimitSubjectType;
  subjectId: string;
  subjectName: string | null;
  maxOwned: number | null;
  excludeDealt: boolean;
  maxLocked: number | null;
  updatedAt: string;
}

export interface OwnershipLimitInput {
  subjectType: LimitSubjectType;
  subjectId?: string;
  maxOwned: number | null;
  excludeDealt: boolean;
  maxLocked: number | null;
}

export interface MyUsage {
  owned: number;
  maxOwned: number | null;
  excludeDealt: boolean;
  locked: number;
  maxLocked: number | null;
}

/** A run of the recycling job: the nightly schedule's or one an admin started (GET /pools/recycle-runs). */
export interface RecycleRun {
  id: string;
  status: "queued" | "running" | "done" | "failed" | "cancelled";
  trigger: "schedule" | "manual";
  requestedBy: { id: string; name: string | null } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  recycled: number | null;
  byRule: Record<string, number>;
  attempts: number;
  error: string | null;
}

/** POST /pools/:id/recycle-preview: what the job would take back now with the proposed settings. */
export interface RecyclePreview {
  total: number;
  byRule: Record<string, number>;
  at: string;
}
