/**
 * Shapes of the customers API (docs/customers-api.md) for the list and the form. Fields
 * governed by field permissions are optional: a hidden field is left out of the answer.
 */
import type { CustomFieldType } from "../../../common/custom-fields";

export const LIFECYCLE_STAGES = ["prospect", "intent", "customer", "loyal", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const CUSTOMER_KINDS = ["company", "person"] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const DEAL_STATUSES = ["none", "dealt"] as const;

export type CustomValue = string | number | boolean | string[] | null;

export interface CustomerTag {
  id: string;
  name: string;
  color: string;
}

export interface Customer {
  id: string;
  name: string;
  kind: CustomerKind;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  level?: string | null;
  source?: string | null;
  industry?: string | null;
  lifecycleStage?: LifecycleStage;
  dealStatus: "none" | "dealt";
  ownerId?: string | null;
  ownerName?: string | null;
  locked: boolean;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  address?: string | null;
  primaryContactId: string | null;
  primaryContactName: string | null;
  remark?: string | null;
  lastFollowupAt: string | null;
  lastFollowupContent: string | null;
  nextFollowupAt: string | null;
  tags?: CustomerTag[];
  custom: Record<string, CustomValue | undefined>;
  access: { edit: boolean; delete: boolean; transfer: boolean };
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** Set on a customer merged away (in the recycle bin, not restorable). */
  mergedInto: string | null;
  version: number;
}

export interface CustomerPage {
  data: Customer[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

/** The list query as the API reads it: `field=v`, `field[op]=v`, `cf.key[op]=v`, `tag=id`, `q`. */
export type ListFilters = Record<string, string | string[]>;

export interface CustomFieldOption {
  value: string;
  label: string;
  color?: string | null;
}

export interface CustomFieldDefinition {
  id: string;
  entity: "customer" | "contact";
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  options: CustomFieldOption[];
  sort: number;
  version: number;
}

export interface PicklistOption {
  value: string;
  label: string;
  color: string | null;
  active: boolean;
}

export interface CustomerInput {
  name?: string;
  kind?: CustomerKind;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  level?: string | null;
  source?: string | null;
  industry?: string | null;
  lifecycleStage?: LifecycleStage;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  address?: string | null;
  remark?: string | null;
  custom?: Record<string, CustomValue>;
}

export interface CreateCustomerInput extends CustomerInput {
  name: string;
  ownerId?: string | null;
  tagIds?: string[];
  contact?: { name: string; phone?: string | null; email?: string | null; title?: string | null };
}

export type BulkAction = "assign" | "addTags" | "removeTags" | "setLevel" | "delete";

export interface BulkInput {
  action: BulkAction;
  ids?: string[];
  filter?: ListFilters;
  ownerId?: string;
  tagIds?: string[];
  level?: string | null;
  reason?: string;
}

export interface DuplicateMatch {
  id: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  ownerName: string | null;
  reasons: ("name" | "phone" | "email")[];
  visible: boolean;
}
