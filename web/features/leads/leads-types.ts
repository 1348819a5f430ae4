export const LEAD_STATUSES = ["new", "contacted", "qualified", "converted", "invalid"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Statuses a person sets by hand; "converted" only comes from converting. */
export const EDITABLE_STATUSES = ["new", "contacted", "qualified", "invalid"] as const;

export interface LeadAccess {
  edit: boolean;
  delete: boolean;
  assign: boolean;
  convert: boolean;
}

/** A lead as the API answers it; fields hidden by field permissions are absent. */
export interface Lead {
  id: string;
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  source?: string | null;
  industry?: string | null;
  address?: string | null;
  remark?: string | null;
  status: LeadStatus;
  ownerId?: string | null;
  ownerName?: string | null;
  lastFollowupAt: string | null;
  lastFollowupContent: string | null;
  nextFollowupAt: string | null;
  custom: Record<string, unknown>;
  convertedAt: string | null;
  customerId: string | null;
  contactId: string | null;
  dealId: string | null;
  access: LeadAccess;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
}

export interface LeadPage {
  data: Lead[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

export interface LeadInput {
  name?: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  source?: string | null;
  industry?: string | null;
  address?: string | null;
  remark?: string | null;
  status?: string;
  nextFollowupAt?: string | null;
  ownerId?: string | null;
  custom?: Record<string, unknown>;
}

export interface LeadEvent {
  id: string;
  kind: string;
  actorUserId: string | null;
  actorName: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface LeadSettings {
  autoAssignDepartmentId: string | null;
  autoAssignDepartmentName: string | null;
  autoAssignOnCreate: boolean;
}

export interface DuplicateMatch {
  id: string | null;
  name: string | null;
  phone?: string | null;
  email?: string | null;
  ownerName?: string | null;
  reasons: ("name" | "phone" | "email")[];
  visible: boolean;
}

export interface ConvertPreview {
  customer: {
    name: string;
    kind: "company" | "person";
    phone?: string | null;
    email?: string | null;
    source?: string | null;
    industry?: string | null;
    address?: string | null;
    ownerId: string | null;
    ownerName: string | null;
  };
  contact: { name: string; phone?: string | null; email?: string | null; title?: string | null };
  deal: { name: string; source?: string | null };
  duplicates: DuplicateMatch[];
  followUps: number;
}

export interface ConvertInput {
  customerId?: string;
  customerName?: string;
  ignoreDuplicates?: boolean;
  deal?: { name?: string; pipelineId?: string; stageId?: string; amount?: string; expectedCloseDate?: string | null };
}

export interface ConvertResult {
  leadId: string;
  customerId: string;
  contactId: string;
  dealId: string | null;
  createdCustomer: boolean;
  movedFollowUps: number;
}

export interface AssignInput {
  ownerId?: string;
  departmentId?: string;
  reason?: string;
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  stages: { id: string; name: string; winProbability: number; sort: number }[];
}
