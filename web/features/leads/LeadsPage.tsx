import { BarChartOutlined, DeleteOutlined, DownloadOutlined, PlusOutlined, SearchOutlined, SettingOutlined, UnorderedListOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Segmented, Select, Table, Typography } from "antd";
import type { ColumnsType, TableProps } from "antd/es/table";
import { useCallback, useEffect, useEffectEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { ImportButton } from "../imports/ImportButton";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { usePicklistLookup } from "../picklists/picklists-api";
import { SavedViewBar } from "../saved-views/SavedViewBar";
import type { SavedView } from "../saved-views/saved-views-api";
import { AssignLeadsModal } from "./AssignLeadsModal";
import { DEFAULT_LEAD_COLUMNS, deletedAtLeadColumn, leadColumnCatalog, type LeadColumn } from "./lead-columns";
import { knownSort } from "../customers/list-url";
import { type UrlWrite, useUrlState } from "../customers/use-url-state";
import { DEFAULT_LEAD_SORT, EMPTY_LEAD_FILTERS, fromViewFilters, type LeadFilters, leadListFromUrl, type LeadListState, leadListToUrl, toViewFilters } from "./lead-view";
import { ColumnChooser } from "../../components/ColumnChooser";
import { loadColumnPrefs, saveColumnPrefs } from "../../components/column-prefs";
import { type LeadListParams, useLeadsList, useRestoreLead } from "./leads-api";
import { LEAD_STATUSES, type Lead } from "./leads-types";
import { EntityExportModal } from "../deals/EntityExportModal";
import { LeadFormDrawer } from "./LeadFormDrawer";
import { LeadSettingsModal } from "./LeadSettingsModal";
import { LeadSourceModal } from "./LeadSourceModal";

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

/** 线索列表: search, status / source / owner filters, saved views, chosen columns, keyset-paged table, bulk assignment, recycle bin. */
export function LeadsPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const can = useCan();
  const rule = useFieldRules("lead");
  const notify = useNotify();
  // Filters, search, sort, saved view and recycle bin live in the URL, so Back from a lead and a reload keep them.
  const decodeUrl = useCallback((params: URLSearchParams) => leadListFromUrl(params, me.user.id), [me.user.id]);
  const [url, writeUrl] = useUrlState(decodeUrl, leadListToUrl);
  // The box answers every keystroke; the URL (and the query) follow once typing pauses.
  const [search, setSearch] = useState(url.filters.q);
  const [lastQ, setLastQ] = useState(url.filters.q);
  const typed = useDebouncedValue(search);
  const [columns, setColumns] = useState<string[]>(() => loadColumnPrefs("leads", me.user.id) ?? DEFAULT_LEAD_COLUMNS);
  // A shared link may open the bin for someone who may not see it.
  const deleted = url.deleted && can("lead:delete");
  const activeViewId = url.viewId;
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<string[] | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [bySource, setBySource] = useState(false);
  const sourceLabel = usePicklistLookup("customer.source");
  const industryLabel = usePicklistLookup("customer.industry");
  const customFields = useCustomFields("lead");
  const restore = useRestoreLead();
  const filters = url.filters;
  const { q, status, source, mine } = filters;

  const catalog = leadColumnCatalog(
    customFields.data?.data ?? [],
    { t, picklist: () => null, currency: me.workspace.currency, language: i18n.language },
    (value) => sourceLabel(value)?.label ?? null,
    (value) => industryLabel(value)?.label ?? null,
  ).filter((column) => column.permissionField === undefined || rule(column.permissionField).access !== "hidden");
  // A sort the URL asks for but this user's list cannot (or a made-up one) falls back to the default.
  const sortable = [...catalog.flatMap((c) => (c.sortField ? [c.sortField] : [])), ...(deleted ? ["deletedAt"] : [])];
  const sort = knownSort(url.sort, sortable, !customFields.isPending, DEFAULT_LEAD_SORT);
  const update = (change: Partial<LeadListState>, how?: UrlWrite) => writeUrl({ filters, sort, viewId: activeViewId, deleted, ...change }, how);
  const patch = (changes: Partial<LeadFilters>, how?: UrlWrite) => update({ filters: { ...filters, ...changes } }, how);

  // A saved view, "reset" or Back replaces q from outside: show it in the box. Our own write of
  // what was typed comes back here too; that leaves the box alone (its trailing space, and any
  // keys typed while the URL was being written).
  if (q !== lastQ) {
    setLastQ(q);
    if (q !== typed.trim()) {
      setSearch(q);
    }
  }
  // Typing replaces the history entry rather than adding one per pause.
  const writeTyped = useEffectEvent((value: string) => {
    if (value.trim() !== q) {
      patch({ q: value }, { replace: true });
    }
  });
  useEffect(() => {
    writeTyped(typed);
  }, [typed]);

  const listSort = deleted && sort === DEFAULT_LEAD_SORT ? "-deletedAt" : sort;
  const params: LeadListParams = { q, status, source, ownerId: mine ? me.user.id : null, deleted, sort: listSort };
  const list = useLeadsList(params);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const canAssign = can("lead:assign");
  const byKey = new Map(catalog.map((column) => [column.key, column]));
  const sortName = listSort.replace(/^-/, "");
  const descending = listSort.startsWith("-");
  const toTableColumn = (column: LeadColumn): ColumnsType<Lead>[number] => ({
    key: column.key,
    title: column.title,
    sorter: column.sortField !== undefined,
    sortOrder: column.sortField === sortName ? (descending ? "descend" : "ascend") : null,
    render: (_: unknown, lead: Lead) => column.render(lead),
  });
  const shownColumns = [byKey.get("name"), ...columns.filter((key) => key !== "name").map((key) => byKey.get(key))].filter((c) => c !== undefined);
  const tableColumns: ColumnsType<Lead> = shownColumns.map(toTableColumn);
  if (deleted) {
    const deletedColumn = deletedAtLeadColumn(t);
    tableColumns.push({
      ...toTableColumn(deletedColumn),
      render: (_: unknown, lead: Lead) => (
        <Flex gap={8} align="center">
          {formatDateTime(lead.deletedAt)}
          <Button
            size="small"
            data-testid={`lead-restore-${lead.id}`}
            onClick={() => restore.mutate(lead.id, { onSuccess: () => notify.success(t("leads.restored")), onError: (error) => notify.error(error) })}
          >
            {t("leads.restore")}
          </Button>
        </Flex>
      ),
    });
  }

  const onTableChange: TableProps<Lead>["onChange"] = (_pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const column = single?.columnKey === "deletedAt" ? deletedAtLeadColumn(t) : byKey.get(String(single?.columnKey));
    update({ sort: single?.order && column?.sortField ? `${single.order === "descend" ? "-" : ""}${column.sortField}` : DEFAULT_LEAD_SORT });
  };

  const chooseColumns = (next: string[]) => {
    setColumns(next);
    saveColumnPrefs("leads", me.user.id, next);
  };

  const applyView = (view: SavedView | null) => {
    setSelected([]);
    if (!view) {
      update({ filters: EMPTY_LEAD_FILTERS, sort: DEFAULT_LEAD_SORT, viewId: null });
      return;
    }
    update({ filters: fromViewFilters(view.definition.filters, me.user.id), sort: view.definition.sort ?? DEFAULT_LEAD_SORT, viewId: view.id });
    if (view.definition.columns.length > 0) {
      setColumns(view.definition.columns);
    }
  };

  return (
    <Card
      title={t("leads.title")}
      data-testid="leads-page"
      extra={
        <Flex gap={8} wrap>
          {!deleted ? (
            <SavedViewBar
              entity="lead"
              activeId={activeViewId}
              current={{ filters: toViewFilters(filters), sort, columns }}
              canShare={can("lead:edit")}
              onApply={applyView}
            />
          ) : null}
          <ColumnChooser
            available={catalog}
            chosen={columns}
            defaults={DEFAULT_LEAD_COLUMNS}
            onChange={chooseColumns}
            i18nKey="leads.columns"
            testIdPrefix="lead-"
            buttonTestId="leads-columns"
          />
          {canAssign && me.permissions.actions["lead:assign"] === "all" ? (
            <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} data-testid="leads-settings">
              {t("leads.settings.button")}
            </Button>
          ) : null}
          {!deleted && rule("source").access !== "hidden" ? (
            <Button icon={<BarChartOutlined />} onClick={() => setBySource(true)} data-testid="leads-by-source-open">
              {t("leads.bySource.button")}
            </Button>
          ) : null}
          {!deleted ? <ImportButton entity="lead" data-testid="leads-import" /> : null}
          {can("lead:export") && !deleted ? (
            <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="leads-export">
              {t("leads.export.button")}
            </Button>
          ) : null}
          {can("lead:delete") ? (
            <Segmented<"live" | "bin">
              value={deleted ? "bin" : "live"}
              onChange={(value) => {
                update({ deleted: value === "bin", sort: DEFAULT_LEAD_SORT });
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
            onChange={(next) => patch({ status: next })}
            options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) }))}
            style={{ minWidth: 200 }}
            data-testid="leads-filter-status"
          />
          {rule("source").access !== "hidden" ? (
            <PicklistSelect list="customer.source" value={source} onChange={(v) => patch({ source: typeof v === "string" ? v : null })} placeholder={t("leads.field.source")} style={{ minWidth: 160 }} testId="leads-filter-source" />
          ) : null}
          <Segmented<"all" | "mine">
            value={mine ? "mine" : "all"}
            onChange={(v) => patch({ mine: v === "mine" })}
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
            columns={tableColumns}
            dataSource={rows}
            onChange={onTableChange}
            scroll={{ x: "max-content" }}
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
      {bySource ? <LeadSourceModal onClose={() => setBySource(false)} /> : null}
      {exporting ? <EntityExportModal entity="lead" title={t("leads.export.title")} filter={exportFilter(params)} onClose={() => setExporting(false)} /> : null}
    </Card>
  );
}
