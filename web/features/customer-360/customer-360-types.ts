/**
 * Shapes of the customers API (docs/customers-api.md) used by the 360° page. Fields governed by
 * field permissions are optional: a hidden field is left out of the answer.
 */
import type { Page } from "../../app/api-types";
import type { CustomValue, Customer } from "../customers/customer-types";

export type { CustomValue, Customer, CustomerTag, LifecycleStage } from "../customers/customer-types";

export interface Contact {
  id: string;
  customerId: string;
  customerName: string | null;
  ownerId: string | null;
  name: string;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  department?: string | null;
  wechat?: string | null;
  isPrimary: boolean;
  isDecisionMaker: boolean;
  remark?: string | null;
  lastFollowupAt: string | null;
  nextFollowupAt: string | null;
  custom: Record<string, CustomValue | undefined>;
  access: { edit: boolean; delete: boolean };
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TimelineEntry {
  id: string;
  kind: string;
  entity: string;
  recordId: string;
  actorUserId: string | null;
  actorName: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface CustomerOverview {
  customer: Customer;
  contacts: Contact[];
  timeline: Page<TimelineEntry>;
}

export interface Collaborator {
  userId: string;
  userName: string;
  access: "read" | "write";
  expiresAt: string | null;
}

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  mime: string;
}
