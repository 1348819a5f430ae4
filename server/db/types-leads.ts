// Tables of leads 线索 (migration 0008-leads).
import type { Generated } from 'kysely';
import type { Flag, JsonColumn, Timestamp } from './types';

export interface LeadsTable {
  id: string;
  workspaceId: string;
  name: string;
  company: string | null;
  companyKey: string | null;
  phone: string | null;
  phoneKey: string | null;
  email: string | null;
  emailKey: string | null;
  title: string | null;
  source: string | null;
  industry: string | null;
  address: string | null;
  remark: string | null;
  /** new · contacted · qualified · converted · invalid */
  status: string;
  ownerId: string | null;
  ownerSince: Timestamp | null;
  lastFollowupAt: Timestamp | null;
  lastFollowupContent: string | null;
  nextFollowupAt: Timestamp | null;
  custom: JsonColumn | null;
  convertedAt: Timestamp | null;
  convertedBy: string | null;
  customerId: string | null;
  contactId: string | null;
  dealId: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  deletedBy: string | null;
  version: Generated<number>;
}

/** A lead's history: created, edits, assignments, conversion, bin. */
export interface LeadEventsTable {
  id: string;
  workspaceId: string;
  leadId: string;
  kind: string;
  actorUserId: string | null;
  data: JsonColumn | null;
  createdAt: Timestamp;
}

export interface LeadSettingsTable {
  workspaceId: string;
  autoAssignDepartmentId: string | null;
  autoAssignOnCreate: Flag;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

export interface LeadAssignCursorsTable {
  workspaceId: string;
  departmentId: string;
  position: number;
  updatedAt: Timestamp;
}

export interface LeadsTables {
  leads: LeadsTable;
  leadEvents: LeadEventsTable;
  leadSettings: LeadSettingsTable;
  leadAssignCursors: LeadAssignCursorsTable;
}
