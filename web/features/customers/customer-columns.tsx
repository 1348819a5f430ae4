import { LockOutlined } from "@ant-design/icons";
import { Space, Tag, Tooltip, Typography } from "antd";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import type { PicklistOption } from "./customer-types";
import type { CustomFieldDefinition, Customer, CustomValue } from "./customer-types";
import { UserName } from "./UserName";

/** A column the list can show: built-in or a custom field (`cf.<key>`). Customers by default; contacts reuse it. */
export interface ColumnDef<T = Customer> {
  key: string;
  title: string;
  width: number;
  /** The API sort name, when the column can be sorted on the server. */
  sortField?: string;
  /** The permission-catalog field guarding it. */
  permissionField?: string;
  render: (record: T) => ReactNode;
}

export interface RenderContext {
  t: TFunction;
  picklist: (list: "customer.level" | "customer.source" | "customer.industry", value: string | null | undefined) => PicklistOption | null;
  currency: string;
  language: string;
}

export const DEFAULT_COLUMNS = ["name", "owner", "level", "lifecycleStage", "phone", "tags", "lastFollowupAt", "createdAt"];

export const DASH = "—";

/**
 * Plain text; the column cuts it with an ellipsis (CSS) and the title shows all of it. Cheap to mount
 * while scrolling. Masked values (138****1234) arrive masked and show as they are.
 */
export function textCell(value: string | null | undefined): ReactNode {
  return value ? <span title={value}>{value}</span> : DASH;
}

function optionTag(option: PicklistOption | null): ReactNode {
  if (!option) {
    return DASH;
  }
  return option.color ? <Tag color={option.color}>{option.label}</Tag> : option.label;
}

function formatMoney(value: string, ctx: RenderContext): string {
  const amount = Number(value);
  if (!Number.isFinite(amount)) {
    return value;
  }
  try {
    return new Intl.NumberFormat(ctx.language, { style: "currency", currency: ctx.currency }).format(amount);
  } catch {
    return value;
  }
}

/** Renders a custom value by its field type. */
export function renderCustomValue(field: CustomFieldDefinition, value: CustomValue | undefined, ctx: RenderContext): ReactNode {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return DASH;
  }
  const optionLabel = (v: string) => field.options.find((o) => o.value === v);
  switch (field.type) {
    case "boolean":
      return value === true ? ctx.t("customers.yes") : ctx.t("customers.no");
    case "singleSelect": {
      const option = optionLabel(String(value));
      return option?.color ? <Tag color={option.color}>{option.label}</Tag> : (option?.label ?? String(value));
    }
    case "multiSelect":
      return (
        <Space size={[0, 4]} wrap={false}>
          {(Array.isArray(value) ? value : [String(value)]).map((v) => {
            const option = optionLabel(v);
            return (
              <Tag key={v} color={option?.color ?? undefined}>
                {option?.label ?? v}
              </Tag>
            );
          })}
        </Space>
      );
    case "money":
      return formatMoney(String(value), ctx);
    case "datetime":
      return formatDateTime(String(value));
    case "user":
      return <UserName id={String(value)} />;
    case "url":
      return (
        <Typography.Link href={String(value)} target="_blank" rel="noreferrer noopener" ellipsis>
          {String(value)}
        </Typography.Link>
      );
    default:
      return textCell(String(value));
  }
}

/** Every column the list offers, in their natural order; the caller drops hidden fields. */
export function columnCatalog(customFields: readonly CustomFieldDefinition[], ctx: RenderContext): ColumnDef[] {
  const { t } = ctx;
  const title = (key: string) => t(`customers.field.${key}`);
  const builtins: ColumnDef[] = [
    {
      key: "name",
      title: title("name"),
      width: 240,
      sortField: "name",
      render: (c) => (
        <Space size={4}>
          {c.locked ? (
            <Tooltip title={t("customers.locked")}>
              <LockOutlined data-testid="customer-row-locked" />
            </Tooltip>
          ) : null}
          {c.deletedAt ? (
            <Typography.Text strong data-testid="customer-row-name">
              {c.name}
            </Typography.Text>
          ) : (
            <Link to={`/customers/${c.id}`} data-testid="customer-row-name">
              {c.name}
            </Link>
          )}
        </Space>
      ),
    },
    { key: "owner", title: title("owner"), width: 120, permissionField: "owner", render: (c) => c.ownerName ?? t("customers.pool") },
    {
      key: "level",
      title: title("level"),
      width: 150,
      sortField: "level",
      permissionField: "level",
      render: (c) => optionTag(ctx.picklist("customer.level", c.level)),
    },
    {
      key: "lifecycleStage",
      title: title("lifecycleStage"),
      width: 110,
      sortField: "lifecycleStage",
      permissionField: "lifecycleStage",
      render: (c) => (c.lifecycleStage ? t(`customers.enum.lifecycleStage.${c.lifecycleStage}`) : DASH),
    },
    { key: "phone", title: title("phone"), width: 150, permissionField: "phone", render: (c) => textCell(c.phone) },
    { key: "email", title: title("email"), width: 200, permissionField: "email", render: (c) => textCell(c.email) },
    {
      key: "tags",
      title: title("tags"),
      width: 200,
      permissionField: "tags",
      render: (c) =>
        c.tags && c.tags.length > 0 ? (
          <Space size={[0, 4]} wrap={false}>
            {c.tags.slice(0, 3).map((tag) => (
              <Tag key={tag.id} color={tag.color}>
                {tag.name}
              </Tag>
            ))}
            {c.tags.length > 3 ? <Tag>+{c.tags.length - 3}</Tag> : null}
          </Space>
        ) : (
          DASH
        ),
    },
    {
      key: "source",
      title: title("source"),
      width: 130,
      sortField: "source",
      permissionField: "source",
      render: (c) => optionTag(ctx.picklist("customer.source", c.source)),
    },
    {
      key: "industry",
      title: title("industry"),
      width: 130,
      sortField: "industry",
      permissionField: "industry",
      render: (c) => optionTag(ctx.picklist("customer.industry", c.industry)),
    },
    {
      key: "dealStatus",
      title: title("dealStatus"),
      width: 100,
      sortField: "dealStatus",
      render: (c) => t(`customers.enum.dealStatus.${c.dealStatus}`),
    },
    { key: "kind", title: title("kind"), width: 90, render: (c) => t(`customers.enum.kind.${c.kind}`) },
    { key: "primaryContact", title: title("primaryContact"), width: 120, render: (c) => textCell(c.primaryContactName) },
    {
      key: "region",
      title: title("region"),
      width: 160,
      sortField: "province",
      permissionField: "address",
      render: (c) => textCell([c.province, c.city, c.district].filter(Boolean).join(" / ")),
    },
    { key: "address", title: title("address"), width: 220, permissionField: "address", render: (c) => textCell(c.address) },
    { key: "website", title: title("website"), width: 180, permissionField: "website", render: (c) => textCell(c.website) },
    {
      key: "lastFollowupAt",
      title: title("lastFollowupAt"),
      width: 170,
      sortField: "lastFollowupAt",
      render: (c) => formatDateTime(c.lastFollowupAt),
    },
    { key: "lastFollowupContent", title: title("lastFollowupContent"), width: 220, render: (c) => textCell(c.lastFollowupContent) },
    nextFollowupColumn(title("nextFollowupAt")),
    { key: "remark", title: title("remark"), width: 220, permissionField: "remark", render: (c) => textCell(c.remark) },
    { key: "createdAt", title: title("createdAt"), width: 170, sortField: "createdAt", render: (c) => formatDateTime(c.createdAt) },
    { key: "updatedAt", title: title("updatedAt"), width: 170, sortField: "updatedAt", render: (c) => formatDateTime(c.updatedAt) },
  ];
  return [...builtins, ...customFieldColumns<Customer>(customFields, ctx)];
}

/** The next follow-up time, in red once it has passed. */
export function nextFollowupColumn<T extends { nextFollowupAt: string | null }>(title: string): ColumnDef<T> {
  return {
    key: "nextFollowupAt",
    title,
    width: 170,
    sortField: "nextFollowupAt",
    render: (c) =>
      c.nextFollowupAt && Date.parse(c.nextFollowupAt) < Date.now() ? (
        <Typography.Text type="danger">{formatDateTime(c.nextFollowupAt)}</Typography.Text>
      ) : (
        formatDateTime(c.nextFollowupAt)
      ),
  };
}

/** One column per custom field (`cf.<key>`), sortable unless multi-valued or long text, guarded by the field's rule. */
export function customFieldColumns<T extends { custom: Record<string, CustomValue | undefined> }>(customFields: readonly CustomFieldDefinition[], ctx: RenderContext): ColumnDef<T>[] {
  return customFields.map((field) => ({
    key: `cf.${field.key}`,
    title: field.label,
    width: field.type === "longText" || field.type === "multiSelect" ? 220 : 150,
    ...(field.type === "multiSelect" || field.type === "longText" ? {} : { sortField: `cf.${field.key}` }),
    permissionField: `cf.${field.key}`,
    render: (c: T) => renderCustomValue(field, c.custom[field.key], ctx),
  }));
}

/** The recycle bin adds when each row was deleted. */
export function deletedAtColumn(t: TFunction): ColumnDef {
  return {
    key: "deletedAt",
    title: t("customers.field.deletedAt"),
    width: 170,
    sortField: "deletedAt",
    render: (c) => formatDateTime(c.deletedAt),
  };
}
