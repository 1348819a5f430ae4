import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import { renderCustomValue, type RenderContext } from "../customers/customer-columns";
import type { CustomFieldDefinition, CustomValue } from "../customers/customer-types";
import type { Lead } from "./leads-types";
import { LeadStatusTag } from "./LeadStatusTag";

/** A column the lead list can show: built-in or a custom field (`cf.<key>`). */
export interface LeadColumn {
  key: string;
  title: string;
  /** The API sort name, when the list can sort on it (leads.list-spec.ts). */
  sortField?: string;
  /** The permission-catalog field guarding it (hidden fields are not offered). */
  permissionField?: string;
  render: (lead: Lead) => ReactNode;
}

/** What the list showed before columns could be chosen; also what "reset" brings back. */
export const DEFAULT_LEAD_COLUMNS = ["name", "company", "phone", "email", "status", "source", "owner", "nextFollowupAt", "createdAt"];

const DASH = "—";

function text(value: string | null | undefined): ReactNode {
  return value ? value : DASH;
}

/** Every column the lead list offers, custom fields last. */
export function leadColumnCatalog(customFields: readonly CustomFieldDefinition[], ctx: RenderContext, sourceLabel: (value: string | null | undefined) => string | null, industryLabel: (value: string | null | undefined) => string | null): LeadColumn[] {
  const { t } = ctx;
  const title = (key: string) => t(`leads.field.${key}`);
  const builtins: LeadColumn[] = [
    {
      key: "name",
      title: title("name"),
      sortField: "name",
      render: (lead) => (
        <Link to={`/leads/${lead.id}`} data-testid={`lead-row-${lead.id}`}>
          {lead.name}
        </Link>
      ),
    },
    { key: "company", title: title("company"), sortField: "company", permissionField: "company", render: (lead) => text(lead.company) },
    { key: "phone", title: title("phone"), permissionField: "phone", render: (lead) => text(lead.phone) },
    { key: "email", title: title("email"), permissionField: "email", render: (lead) => text(lead.email) },
    { key: "title", title: title("title"), permissionField: "title", render: (lead) => text(lead.title) },
    { key: "status", title: title("status"), sortField: "status", render: (lead) => <LeadStatusTag status={lead.status} /> },
    { key: "source", title: title("source"), sortField: "source", permissionField: "source", render: (lead) => sourceLabel(lead.source) ?? DASH },
    { key: "industry", title: title("industry"), sortField: "industry", permissionField: "industry", render: (lead) => industryLabel(lead.industry) ?? DASH },
    { key: "owner", title: title("owner"), permissionField: "owner", render: (lead) => lead.ownerName ?? t("leads.unassigned") },
    { key: "address", title: title("address"), permissionField: "address", render: (lead) => text(lead.address) },
    { key: "remark", title: title("remark"), permissionField: "remark", render: (lead) => text(lead.remark) },
    { key: "lastFollowupAt", title: title("lastFollowupAt"), sortField: "lastFollowupAt", render: (lead) => formatDateTime(lead.lastFollowupAt) },
    { key: "nextFollowupAt", title: title("nextFollowupAt"), sortField: "nextFollowupAt", render: (lead) => formatDateTime(lead.nextFollowupAt) },
    { key: "createdAt", title: title("createdAt"), sortField: "createdAt", render: (lead) => formatDateTime(lead.createdAt) },
    { key: "updatedAt", title: t("leads.columns.updatedAt"), sortField: "updatedAt", render: (lead) => formatDateTime(lead.updatedAt) },
  ];
  const custom: LeadColumn[] = customFields.map((field) => ({
    key: `cf.${field.key}`,
    title: field.label,
    ...(field.type === "multiSelect" || field.type === "longText" ? {} : { sortField: `cf.${field.key}` }),
    permissionField: `cf.${field.key}`,
    render: (lead: Lead) => renderCustomValue(field, lead.custom[field.key] as CustomValue | undefined, ctx),
  }));
  return [...builtins, ...custom];
}

/** The recycle bin adds when each row was deleted. */
export function deletedAtLeadColumn(t: TFunction): LeadColumn {
  return { key: "deletedAt", title: t("leads.field.deletedAt"), sortField: "deletedAt", render: (lead) => formatDateTime(lead.deletedAt) };
}
