import { DeleteOutlined, DownloadOutlined, PlusOutlined, SearchOutlined, SettingOutlined, UnorderedListOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Segmented, Select, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { usePicklistLookup } from "../picklists/picklists-api";
import { AssignLeadsModal } from "./AssignLeadsModal";
import { type LeadListParams, useLeadsList, useRestoreLead } from "./leads-api";
import { LEAD_STATUSES, type Lead } from "./leads-types";
import { LeadExportModal } from "./LeadExportModal";
import { LeadFormDrawer } from "./LeadFormDrawer";
import { LeadSettingsModal } from "./LeadSettingsModal";
import { LeadStatusTag } from "./LeadStatusTag";

const OPEN_STATUSES = ["new", "contacted", "qualified"];

/** The list's filters as an export filter (the same keys as the list's query string). */
function exportFilter(params: LeadListParams): Record<string, string> {
  const filter: Record<string, string> = { sort: params.sort };
  if (params.q.trim()) {
    filter.q = params.q.trim();
  }
  if (params.status.length > 0) {
    filter["status[in]"] = params.status.join(",");
  }
  if (params.source) {
    filter.source = params.source;
  }
  if (params.ownerId) {
    filter.ownerId = params.ownerId;
  }
  return filter;
}

/** 线索列表: search, status / source / owner filters, keyset-paged table, bulk assignment, recycle bin. */
export function LeadsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const rule = useFieldRules("lead");
  const notify = useNotify();
  const [searchParams] = useSearchParams();
  // The to-do center links here with ?mine=open: my unconverted leads.
  const mineOpen = searchParams.get("mine") === "open";
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const [status, setStatus] = useState<string[]>(mineOpen ? OPEN_STATUSES : []);
  const [source, setSource] = useState<string | null>(null);
  const [mine, setMine] = useState(mineOpen);
  const [deleted, setDeleted] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<string[] | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const sourceLabel = usePicklistLookup("customer.source");
  const restore = useRestoreLead();

  const params: LeadListParams = { q, status, source, ownerId: mine ? me.user.id : null, deleted, sort: deleted ? "-deletedAt" : "-createdAt" };
  const list = useLeadsList(params);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const canAssign = can("lead:assign");

  const shown = (field: string) => rule(field).access !== "hidden";
  const columns: ColumnsType<Lead> = [
    {
      key: "name",
      title: t("leads.field.name"),
      render: (_, lead) => (
        <Link to={`/leads/${lead.id}`} data-testid={`lead-row-${lead.id}`}>
          {lead.name}
        </Link>
      ),
    },
    ...(shown("company") ? [{ key: "company", title: t("leads.field.company"), dataIndex: "company" }] : []),
    ...(shown("phone") ? [{ key: "phone", title: t("leads.field.phone"), dataIndex: "phone" }] : []),
    ...(shown("email") ? [{ key: "email", title: t("leads.field.email"), dataIndex: "email" }] : []),
    { key: "status", title: t("leads.field.status"), render: (_, lead) => <LeadStatusTag status={lead.status} /> },
    ...(shown("source") ? [{ key: "source", title: t("leads.field.source"), render: (_: unknown, lead: Lead) => sourceLabel(lead.source)?.label ?? "—" }] : []),
    ...(shown("owner") ? [{ key: "owner", title: t("leads.field.owner"), render: (_: unknown, lead: Lead) => lead.ownerName ?? t("leads.unassigned") }] : []),
    { key: "next", title: t("leads.field.nextFollowupAt"), render: (_, lead) => formatDateTime(lead.nextFollowupAt) },
    deleted
      ? {
          key: "deletedAt",
          title: t("leads.field.deletedAt"),
          render: (_, lead) => (
            <Flex gap={8} align="center">
              {formatDateTime(lead.deletedAt)}
              <Button
                size="small"
                data-testid={`lead-restore-${lead.id}`}
                onClick={() =>
                  restore.mutate(lead.id, { onSuccess: () => notify.success(t("leads.restored")), onError: (error) => notify.error(error) })
                }
              >
                {t("leads.restore")}
              </Button>
            </Flex>
          ),
        }
      : { key: "createdAt", title: t("leads.field.createdAt"), render: (_, lead) => formatDateTime(lead.createdAt) },
  ];

  return (
    <Card
      title={t("leads.title")}
      data-testid="leads-page"
      extra={
        <Flex gap={8} wrap>
          {canAssign && me.permissions.actions["lead:assign"] === "all" ? (
            <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} data-testid="leads-settings">
              {t("leads.settings.button")}
            </Button>
          ) : null}
          {can("lead:export") && !deleted ? (
            <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="leads-export">
              {t("leads.export.button")}
            </Button>
          ) : null}
          {can("lead:delete") ? (
            <Segmented<"live" | "bin">
              value={deleted ? "bin" : "live"}
              onChange={(value) => {
                setDeleted(value === "bin");
                setSelected([]);
              }}
              options={[
                { value: "live", icon: <UnorderedListOutlined />, label: <span data-testid="leads-live">{t("leads.live")}</span> },
                { value: "bin", icon: <DeleteOutlined />, label: <span data-testid="leads-bin">{t("leads.recycleBin")}</span> },
              ]}
            />
          ) : null}
          {can("lead:create") && !deleted ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="leads-create">
              {t("leads.create")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center">
          <Input allowClear prefix={<SearchOutlined />} placeholder={t("leads.searchPlaceholder")} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 260 }} data-testid="leads-search" />
          <Select
            mode="multiple"
            allowClear
            placeholder={t("leads.field.status")}
            value={status}
            onChange={setStatus}
            options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) }))}
            style={{ minWidth: 200 }}
            data-testid="leads-filter-status"
          />
          {shown("source") ? (
            <PicklistSelect list="customer.source" value={source} onChange={(v) => setSource(typeof v === "string" ? v : null)} placeholder={t("leads.field.source")} style={{ minWidth: 160 }} testId="leads-filter-source" />
          ) : null}
          <Segmented<"all" | "mine">
            value={mine ? "mine" : "all"}
            onChange={(v) => setMine(v === "mine")}
            options={[
              { value: "all", label: <span data-testid="leads-scope-all">{t("leads.scopeAll")}</span> },
              { value: "mine", label: <span data-testid="leads-scope-mine">{t("leads.scopeMine")}</span> },
            ]}
          />
          {canAssign && selected.length > 0 && !deleted ? (
            <Button icon={<UserSwitchOutlined />} onClick={() => setAssigning(selected)} data-testid="leads-bulk-assign">
              {t("leads.assign.bulk", { count: selected.length })}
            </Button>
          ) : null}
          <Typography.Text type="secondary" data-testid="leads-total">
            {total !== undefined ? t("leads.total", { count: total }) : null}
          </Typography.Text>
        </Flex>
        {list.isError ? (
          <LoadError onRetry={() => void list.refetch()} />
        ) : (
          <Table<Lead>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={list.isPending}
            pagination={false}
            data-testid="leads-table"
            rowSelection={canAssign && !deleted ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), getCheckboxProps: (lead) => ({ disabled: !lead.access.assign }) } : undefined}
          />
        )}
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="leads-more">
            {t("leads.loadMore")}
          </Button>
        ) : null}
      </Flex>
      {creating ? <LeadFormDrawer lead={null} onClose={() => setCreating(false)} /> : null}
      {assigning ? (
        <AssignLeadsModal
          ids={assigning}
          onClose={() => setAssigning(null)}
          onDone={() => {
            setAssigning(null);
            setSelected([]);
          }}
        />
      ) : null}
      {settingsOpen ? <LeadSettingsModal onClose={() => setSettingsOpen(false)} /> : null}
      {exporting ? <LeadExportModal filter={exportFilter(params)} onClose={() => setExporting(false)} /> : null}
    </Card>
  );
}
