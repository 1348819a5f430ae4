import { Button, Card, DatePicker, Flex, Select, Table, Tooltip, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AuditEntry } from "../../app/api-types";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { UserSelect } from "../users/UserSelect";
import { auditActionGroups } from "../../../common/audit-actions";
import { useAuditLog } from "./audit-log-api";
import type { AuditFilters } from "./audit-log-api";

function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) {
    return "";
  }
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** Where a target can be opened: the record's own page (one deleted for good answers "not found" there). */
const targetPages: Record<string, (id: string) => string> = {
  customer: (id) => `/customers/${id}`,
  lead: (id) => `/leads/${id}`,
  deal: (id) => `/deals?deal=${id}`,
  contract: (id) => `/contracts/${id}`,
  payment: (id) => `/payments/${id}`,
};

/** The target's short id, a link to its page where it has one. */
function TargetId({ type, id }: { type: string; id: string }) {
  const page = targetPages[type];
  const text = ` #${id.slice(-6)}`;
  return page ? (
    <Link to={page(id)} data-testid="audit-target-link">
      {text}
    </Link>
  ) : (
    <Typography.Text type="secondary">{text}</Typography.Text>
  );
}

export function AuditLogPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [filters, setFilters] = useState<AuditFilters>({ userId: null, action: null, from: null, to: null });
  const log = useAuditLog(filters);
  const rows = log.data?.pages.flatMap((page) => page.data) ?? [];

  const actionLabel = (action: string) => t(`audit.${action}`, { defaultValue: action });

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t("auditLog.time"),
      dataIndex: "createdAt",
      width: 180,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t("auditLog.actor"),
      key: "actor",
      render: (_value, entry) =>
        entry.actorName ??
        (entry.actorApiKeyId ? t("auditLog.apiKeyActor") : <Typography.Text type="secondary">{t("auditLog.system")}</Typography.Text>),
    },
    {
      title: t("auditLog.action"),
      dataIndex: "action",
      render: (action: string) => <span data-testid="audit-action">{actionLabel(action)}</span>,
    },
    {
      title: t("auditLog.target"),
      key: "target",
      render: (_value, entry) =>
        entry.targetType ? (
          <Tooltip title={entry.targetId}>
            {t(`auditLog.targetTypes.${entry.targetType}`, { defaultValue: entry.targetType })}
            {entry.targetId ? <TargetId type={entry.targetType} id={entry.targetId} /> : null}
          </Tooltip>
        ) : (
          "—"
        ),
    },
    {
      title: t("auditLog.ip"),
      dataIndex: "ip",
      render: (ip: string | null, entry) => <Tooltip title={entry.userAgent}>{ip ?? "—"}</Tooltip>,
    },
    {
      title: t("auditLog.details"),
      dataIndex: "detail",
      render: (detail: Record<string, unknown> | null) => {
        const text = detailText(detail);
        return text ? (
          <Typography.Text code ellipsis={{ tooltip: text }} style={{ maxWidth: 320 }}>
            {text}
          </Typography.Text>
        ) : (
          "—"
        );
      },
    },
  ];

  return (
    <Card title={t("nav.auditLog")}>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        {can("user:view") ? (
          <UserSelect
            value={filters.userId}
            onChange={(userId) => setFilters({ ...filters, userId })}
            placeholder={t("auditLog.filterUser")}
            testId="audit-filter-user"
            style={{ width: 220 }}
          />
        ) : null}
        <Select<string>
          allowClear
          value={filters.action ?? undefined}
          onChange={(action) => setFilters({ ...filters, action: action ?? null })}
          placeholder={t("auditLog.filterAction")}
          options={Object.entries(auditActionGroups).map(([group, actions]) => ({
            label: t(`auditLog.groups.${group}`),
            options: actions.map((action) => ({ value: action, label: actionLabel(action) })),
          }))}
          showSearch={{ optionFilterProp: "label" }}
          style={{ width: 260 }}
          data-testid="audit-filter-action"
        />
        <DatePicker.RangePicker
          onChange={(range) => {
            const [start, end] = range ?? [null, null];
            setFilters({
              ...filters,
              from: start ? start.startOf("day").toISOString() : null,
              to: end ? end.endOf("day").toISOString() : null,
            });
          }}
          data-testid="audit-filter-range"
        />
      </Flex>
      {log.isError ? (
        <LoadError onRetry={() => void log.refetch()} />
      ) : (
        <Table<AuditEntry>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={log.isPending}
          pagination={false}
          size="small"
          scroll={{ x: "max-content" }}
          data-testid="audit-table"
          footer={
            log.hasNextPage
              ? () => (
                  <Flex justify="center">
                    <Button
                      onClick={() => void log.fetchNextPage()}
                      loading={log.isFetchingNextPage}
                      data-testid="audit-load-more"
                    >
                      {t("common.loadMore")}
                    </Button>
                  </Flex>
                )
              : undefined
          }
        />
      )}
    </Card>
  );
}
