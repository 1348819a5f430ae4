// Tables of products, pipelines and deals (migration 0007-deals).
import type { Generated } from 'kysely';
import type { Flag, JsonColumn, Timestamp } from './types';

export interface ProductCategoriesTable {
  id: string;
  workspaceId: string;
  name: string;
  parentId: string | null;
  sort: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface ProductsTable {
  id: string;
  workspaceId: string;
  name: string;
  code: string | null;
  unit: string | null;
  priceCents: number;
  categoryId: string | null;
  active: Flag;
  description: string | null;
  custom: JsonColumn | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface PipelinesTable {
  id: string;
  workspaceId: string;
  name: string;
  isDefault: Flag;
  active: Flag;
  sort: number;
  seedKey: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface PipelineStagesTable {
  id: string;
  workspaceId: string;
  pipelineId: string;
  name: string;
  /** 0–100 */
  winProbability: number;
  sort: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
}

export type DealStatus = 'open' | 'won' | 'lost' | 'invalid';

export interface DealsTable {
  id: string;
  workspaceId: string;
  customerId: string;
  contactId: string | null;
  /** Set by lead conversion. */
  leadId: string | null;
  name: string;
  pipelineId: string;
  stageId: string;
  amountCents: number;
  /** YYYY-MM-DD */
  expectedCloseDate: string | null;
  status: DealStatus;
  /** Reason for lost / invalid (and an optional note on won). */
  lostReason: string | null;
  ownerId: string | null;
  source: string | null;
  remark: string | null;
  stageEnteredAt: Timestamp;
  lastFollowupAt: Timestamp | null;
  nextFollowupAt: Timestamp | null;
  custom: JsonColumn | null;
  closedAt: Timestamp | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  deletedBy: string | null;
  version: Generated<number>;
}

export interface DealLinesTable {
  id: string;
  workspaceId: string;
  dealId: string;
  productId: string | null;
  name: string;
  unit: string | null;
  priceCents: number;
  quantity: number;
  discountPercent: number;
  amountCents: number;
  sort: number;
  createdAt: Timestamp;
}

export interface DealStageHistoryTable {
  id: string;
  workspaceId: string;
  dealId: string;
  pipelineId: string;
  stageId: string;
  enteredAt: Timestamp;
  leftAt: Timestamp | null;
  /** moved | won | lost | invalid | pipeline; null while the deal is still in the stage. */
  exitKind: string | null;
  actorUserId: string | null;
}

export interface DealsTables {
  productCategories: ProductCategoriesTable;
  products: ProductsTable;
  pipelines: PipelinesTable;
  pipelineStages: PipelineStagesTable;
  deals: DealsTable;
  dealLines: DealLinesTable;
  dealStageHistory: DealStageHistoryTable;
}
