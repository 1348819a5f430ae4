import { Space, Tag } from "antd";
import type { TFunction } from "i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import { type ColumnDef, customFieldColumns, DASH, nextFollowupColumn, type RenderContext, textCell } from "../customers/customer-columns";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { UserName } from "../customers/UserName";
import type { ContactRow } from "./contacts-api";

export type ContactColumn = ColumnDef<ContactRow>;

export const DEFAULT_CONTACT_COLUMNS = ["name", "customer", "phone", "email", "title", "owner", "lastFollowupAt", "createdAt"];


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
    { key: "phone", title: title("phone"), width: 150, permissionField: "phone", render: (c) => textCell(c.phone) },
    { key: "email", title: title("email"), width: 200, permissionField: "email", render: (c) => textCell(c.email) },
    { key: "title", title: title("title"), width: 130, sortField: "title", permissionField: "title", render: (c) => textCell(c.title) },
    { key: "department", title: title("department"), width: 130, sortField: "department", render: (c) => textCell(c.department) },
    { key: "wechat", title: title("wechat"), width: 140, permissionField: "wechat", render: (c) => textCell(c.wechat) },
    { key: "isDecisionMaker", title: title("isDecisionMaker"), width: 110, render: (c) => (c.isDecisionMaker ? t("customers.yes") : t("customers.no")) },
    { key: "owner", title: title("owner"), width: 120, render: (c) => (c.ownerId ? <UserName id={c.ownerId} /> : DASH) },
    { key: "lastFollowupAt", title: title("lastFollowupAt"), width: 170, sortField: "lastFollowupAt", render: (c) => formatDateTime(c.lastFollowupAt) },
    nextFollowupColumn<ContactRow>(title("nextFollowupAt")),
    { key: "remark", title: title("remark"), width: 220, permissionField: "remark", render: (c) => textCell(c.remark) },
    { key: "createdAt", title: title("createdAt"), width: 170, sortField: "createdAt", render: (c) => formatDateTime(c.createdAt) },
    { key: "updatedAt", title: title("updatedAt"), width: 170, sortField: "updatedAt", render: (c) => formatDateTime(c.updatedAt) },
  ];
  return [...builtins, ...customFieldColumns<ContactRow>(customFields, ctx)];
}

/** The recycle bin adds when each row was deleted. */
export function deletedAtContactColumn(t: TFunction): ContactColumn {
  return { key: "deletedAt", title: t("contacts.field.deletedAt"), width: 170, sortField: "deletedAt", render: (c) => formatDateTime(c.deletedAt ?? null) };
}
