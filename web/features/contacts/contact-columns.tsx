import { Space, Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import { type ColumnDef, type RenderContext, renderCustomValue } from "../customers/customer-columns";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { UserName } from "../customers/UserName";
import type { ContactRow } from "./contacts-api";

export type ContactColumn = ColumnDef<ContactRow>;

export const DEFAULT_CONTACT_COLUMNS = ["name", "customer", "phone", "email", "title", "owner", "lastFollowupAt", "createdAt"];

const DASH = "—";

/** Plain text, cut by the column's CSS ellipsis; masked values (138****1234) arrive masked and show as they are. */
function text(value: string | null | undefined): ReactNode {
  return value ? <span title={value}>{value}</span> : DASH;
}

/** Every column the contacts list can show: built-in ones, then the custom fields of contacts. */
export function contactColumnCatalog(customFields: readonly CustomFieldDefinition[], ctx: RenderContext): ContactColumn[] {
  const { t } = ctx;
  const title = (key: string) => t(`contacts.field.${key}`);
  const builtins: ContactColumn[] = [
    {
      key: "name",
      title: title("name"),
      width: 200,
      sortField: "name",
      render: (c) => (
        <Space size={4}>
          {/* A contact has no page of its own: its name opens its customer's 360° view. */}
          <Link to={`/customers/${c.customerId}`} data-testid="contact-row-name">
            {c.name}
          </Link>
          {c.isPrimary ? <Tag color="blue">{t("customer360.contacts.primary")}</Tag> : null}
        </Space>
      ),
    },
    {
      key: "customer",
      title: title("customer"),
      width: 200,
      render: (c) =>
        c.customerName ? (
          <Link to={`/customers/${c.customerId}`} title={c.customerName} data-testid="contact-row-customer">
            {c.customerName}
          </Link>
        ) : (
          DASH
        ),
    },
    { key: "phone", title: title("phone"), width: 150, permissionField: "phone", render: (c) => text(c.phone) },
    { key: "email", title: title("email"), width: 200, permissionField: "email", render: (c) => text(c.email) },
    { key: "title", title: title("title"), width: 130, sortField: "title", permissionField: "title", render: (c) => text(c.title) },
    { key: "department", title: title("department"), width: 130, sortField: "department", render: (c) => text(c.department) },
    { key: "wechat", title: title("wechat"), width: 140, permissionField: "wechat", render: (c) => text(c.wechat) },
    { key: "isDecisionMaker", title: title("isDecisionMaker"), width: 110, render: (c) => (c.isDecisionMaker ? t("customers.yes") : t("customers.no")) },
    { key: "owner", title: title("owner"), width: 120, render: (c) => (c.ownerId ? <UserName id={c.ownerId} /> : DASH) },
    { key: "lastFollowupAt", title: title("lastFollowupAt"), width: 170, sortField: "lastFollowupAt", render: (c) => formatDateTime(c.lastFollowupAt) },
    {
      key: "nextFollowupAt",
      title: title("nextFollowupAt"),
      width: 170,
      sortField: "nextFollowupAt",
      render: (c) =>
        c.nextFollowupAt && Date.parse(c.nextFollowupAt) < Date.now() ? (
          <Typography.Text type="danger">{formatDateTime(c.nextFollowupAt)}</Typography.Text>
        ) : (
          formatDateTime(c.nextFollowupAt)
        ),
    },
    { key: "remark", title: title("remark"), width: 220, permissionField: "remark", render: (c) => text(c.remark) },
    { key: "createdAt", title: title("createdAt"), width: 170, sortField: "createdAt", render: (c) => formatDateTime(c.createdAt) },
    { key: "updatedAt", title: title("updatedAt"), width: 170, sortField: "updatedAt", render: (c) => formatDateTime(c.updatedAt) },
  ];
  const custom: ContactColumn[] = customFields.map((field) => ({
    key: `cf.${field.key}`,
    title: field.label,
    width: field.type === "longText" || field.type === "multiSelect" ? 220 : 150,
    ...(field.type === "multiSelect" || field.type === "longText" ? {} : { sortField: `cf.${field.key}` }),
    permissionField: `cf.${field.key}`,
    render: (c: ContactRow) => renderCustomValue(field, c.custom[field.key], ctx),
  }));
  return [...builtins, ...custom];
}

/** The recycle bin adds when each row was deleted. */
export function deletedAtContactColumn(t: TFunction): ContactColumn {
  return { key: "deletedAt", title: t("contacts.field.deletedAt"), width: 170, sortField: "deletedAt", render: (c) => formatDateTime(c.deletedAt ?? null) };
}
