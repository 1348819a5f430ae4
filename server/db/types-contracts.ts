// Tables of the approval engine and contracts (migration 0010-contracts).
import type { Generated } from 'kysely';
import type { Flag, JsonColumn, Timestamp } from './types';

export interface ApprovalFlowsTable {
  id: string;
  workspaceId: string;
  subjectType: string;
  name: string;
  description: string | null;
  priority: number;
  minAmountCents: number | null;
  maxAmountCents: number | null;
  active: Flag;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface ApprovalFlowStepsTable {
  id: string;
  workspaceId: string;
  flowId: string;
  position: number;
  name: string;
  mode: 'all' | 'any';
  approvers: JsonColumn;
  missingManager: 'skip' | 'admin';
}

export interface ApprovalInstancesTable {
  id: string;
  workspaceId: string;
  subjectType: string;
  subjectId: string;
  flowId: string | null;
  flowName: string | null;
  steps: JsonColumn;
  submitterId: string;
  amountCents: number | null;
  title: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  currentStep: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  decidedAt: Timestamp | null;
  version: Generated<number>;
}

export interface ApprovalTasksTable {
  id: string;
  workspaceId: string;
  instanceId: string;
  stepIndex: number;
  approverId: string;
  status: 'pending' | 'approved' | 'rejected' | 'closed';
  comment: string | null;
  createdAt: Timestamp;
  actedAt: Timestamp | null;
}

export interface ApprovalActionsTable {
  id: string;
  workspaceId: string;
  instanceId: string;
  stepIndex: number | null;
  actorId: string | null;
  action: string;
  comment: string | null;
  createdAt: Timestamp;
}

export interface NumberRulesTable {
  workspaceId: string;
  key: string;
  pattern: string;
  reset: 'day' | 'month' | 'year' | 'never';
  updatedAt: Timestamp;
}

export interface NumberSequencesTable {
  workspaceId: string;
  key: string;
  period: string;
  value: number;
}

export interface ContractsTable {
  id: string;
  workspaceId: string;
  number: string;
  name: string;
  customerId: string;
  dealId: string | null;
  signDate: string | null;
  startDate: string | null;
  endDate: string | null;
  signerId: string | null;
  customerSignerId: string | null;
  totalCents: number;
  status: 'draft' | 'pending' | 'approved' | 'rejected' | 'void';
  remark: string | null;
  custom: JsonColumn | null;
  ownerId: string | null;
  approvalId: string | null;
  submittedAt: Timestamp | null;
  approvedAt: Timestamp | null;
  voidedAt: Timestamp | null;
  voidReason: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface ContractLinesTable {
  id: string;
  workspaceId: string;
  contractId: string;
  position: number;
  productId: string | null;
  productName: string;
  unit: string | null;
  priceCents: number;
  /** Up to 3 decimals. */
  quantity: number;
  /** Percent off, 0–100, up to 2 decimals. */
  discountPercent: number;
  amountCents: number;
  remark: string | null;
}

export interface ContractFilesTable {
  workspaceId: string;
  contractId: string;
  fileId: string;
  createdAt: Timestamp;
}

export interface ContractsTables {
  approvalFlows: ApprovalFlowsTable;
  approvalFlowSteps: ApprovalFlowStepsTable;
  approvalInstances: ApprovalInstancesTable;
  approvalTasks: ApprovalTasksTable;
  approvalActions: ApprovalActionsTable;
  numberRules: NumberRulesTable;
  numberSequences: NumberSequencesTable;
  contracts: ContractsTable;
  contractLines: ContractLinesTable;
  contractFiles: ContractFilesTable;
}
