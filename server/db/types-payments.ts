// Tables of payment plans, payments and targets (migration 0011-payments).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = string;
type JsonColumn = ColumnType<unknown, string, string>;

export type PaymentPlanStatus = 'pending' | 'partial' | 'paid' | 'overdue';
export type PaymentStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface PaymentPlansTable {
  id: string;
  workspaceId: string;
  contractId: string;
  customerId: string;
  period: number;
  amountCents: number;
  paidCents: Generated<number>;
  dueDate: string;
  remindDays: number;
  remindDate: string;
  status: PaymentPlanStatus;
  remark: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface PaymentsTable {
  id: string;
  workspaceId: string;
  contractId: string;
  customerId: string;
  planId: string | null;
  amountCents: number;
  paidOn: string;
  method: string;
  remark: string | null;
  ownerId: string | null;
  status: PaymentStatus;
  approvalId: string | null;
  approvedAt: Timestamp | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  version: Generated<number>;
}

export interface TargetsTable {
  id: string;
  workspaceId: string;
  year: number;
  kind: 'contract_amount' | 'payment_amount';
  subjectType: 'user' | 'department';
  subjectId: string;
  months: JsonColumn;
  yearCents: number;
  updatedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

// The contract columns this migration adds, merged into the contracts table type (module
// augmentation, so types-contracts.ts stays its owner's file).
declare module './types-contracts' {
  interface ContractsTable {
    /** Approved + pending payments: never above total_cents (the conditional UPDATE guarantees it). */
    committedPaymentCents: Generated<number>;
    /** Approved payments. */
    receivedCents: Generated<number>;
  }
}

export interface PaymentsTables {
  paymentPlans: PaymentPlansTable;
  payments: PaymentsTable;
  targets: TargetsTable;
}
