import { CloudDownloadOutlined, SettingOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Input, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { type HTMLAttributes, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { formatDateTime } from "../../components/format";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { usePicklistLabel } from "../customer-360/picklist-label";
import { usePicklist } from "../picklists/picklists-api";
import { AssignPoolModal } from "./AssignPoolModal";
import { useClaim, useMyUsage, usePoolCustomers, usePools } from "./pools-api";
import type { BulkResult, Pool, PoolCustomer, PoolCustomerFilters } from "./pools-types";
import { useBulkReport } from "./use-bulk-report";

/** My quota left today in a pool, and what I own against my limits. */
function UsageBar({ pool }: { pool: Pool | undefined }) {
  const { t } = useTranslation();
  const usage = useMyUsage();
  const quotaLeft = pool?.claimDailyLimit === null || pool === undefined ? null : Math.max(0, (pool.claimDailyLimit ?? 0) - pool.claimedToday);
  return (
    <Flex gap={32} wrap data-testid="pool-usage">
      <Statistic
        title={t("pools.quotaLeft")}
        value={quotaLeft === null ? t("pools.unlimited") : quotaLeft}
        suffix={quotaLeft === null || !pool ? undefined : `/ ${pool.claimDailyLimit ?? ""}`}
        valueStyle={{ fontSize: 20 }}
        data-testid="pool-quota-left"
      />
      <Statistic
        title={usage.data?.excludeDealt ? t("pools.ownedExcludingDealt") : t("pools.owned")}
        value={usage.data?.owned ?? "—"}
        suffix={usage.data?.maxOwned === null || usage.data === undefined ? undefined : `/ ${usage.data.maxOwned}`}
        valueStyle={{ fontSize: 20 }}
        data-testid="pool-usage-owned"
      />
      <Statistic
        title={t("pools.locked")}
        value={usage.data?.locked ?? "—"}
        suffix={usage.data?.maxLocked === null || usage.data === undefined ? undefined : `/ ${usage.data.maxLocked}`}
        valueStyle={{ fontSize: 20 }}
        data-testid="pool-usage-locked"
      />
    </Flex>
  );
}

const EMPTY_FILTERS: PoolCustomerFilters = { q: "", level: null, source: null, industry: null };

/** 公海: customers without an owner, per pool; members claim, pool admins and managers assign. */
export function PoolPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const report = useBulkReport();
  const pools = usePools();
  const [chosenPool, setChosenPool] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const [filters, setFilters] = useState<Omit<PoolCustomerFilters, "q">>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<string[]>([]);
  const [assigning, setAssigning] = useState<string[] | null>(null);
  const levelLabel = usePicklistLabel("customer.level");
  const sourceLabel = usePicklistLabel("customer.source");
  const industryLabel = usePicklistLabel("customer.industry");
  const levels = usePicklist("customer.level");
  const sources = usePicklist("customer.source");
  const industries = usePicklist("customer.industry");

  const list = pools.data?.data ?? [];
  // Until the user picks one: the first pool they may claim from.
  const poolId = chosenPool ?? (list.find((p) => p.isMember) ?? list[0])?.id ?? null;
  const pool = list.find((p) => p.id === poolId);
  const pickPool = (id: string) => {
    setChosenPool(id);
    setSelected([]);
  };

  const allFilters = useMemo(() => ({ ...filters, q }), [filters, q]);
  const customers = usePoolCustomers(poolId, allFilters);
  const rows = useMemo(() => customers.data?.pages.flatMap((p) => p.data) ?? [], [customers.data]);
  const claim = useClaim(poolId ?? "");
  const canAssign = pool !== undefined && (pool.isAdmin || pool.canManage || can("customer:assign"));

  const doClaim = async (ids: string[]) => {
    try {
      const result: BulkResult = await claim.mutateAsync(ids);
      report(result, "pools.claimed");
      setSelected((s) => s.filter((id) => !result.done.includes(id)));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<PoolCustomer> = [
    {
      title: t("pools.columns.name"),
      dataIndex: "name",
      render: (name: string, row) => (
        <Link to={`/customers/${row.id}`} data-testid="pool-row-name">
          {name}
        </Link>
      ),
    },
    { title: t("pools.columns.level"), dataIndex: "level", width: 100, render: (v: string | null) => levelLabel(v) },
    { title: t("pools.columns.source"), dataIndex: "source", width: 120, render: (v: string | null) => sourceLabel(v) },
    { title: t("pools.columns.industry"), dataIndex: "industry", width: 120, render: (v: string | null) => industryLabel(v) },
    {
      title: t("pools.columns.region"),
      key: "region",
      width: 140,
      render: (_v, row) => [row.province, row.city].filter(Boolean).join(" ") || "—",
    },
    {
      title: t("pools.columns.dealStatus"),
      dataIndex: "dealStatus",
      width: 100,
      render: (v: string) => (v === "dealt" ? <Tag color="green">{t("pools.dealt")}</Tag> : t("pools.notDealt")),
    },
    { title: t("pools.columns.lastFollowup"), dataIndex: "lastFollowupAt", width: 170, render: (v: string | null) => formatDateTime(v) },
    { title: t("pools.columns.previousOwner"), dataIndex: "previousOwnerName", width: 120, render: (v: string | null) => v ?? "—" },
    { title: t("pools.columns.releasedAt"), dataIndex: "releasedAt", width: 170, render: (v: string | null) => formatDateTime(v) },
    {
      title: t("common.actions"),
      key: "actions",
      width: 170,
      fixed: "right",
      render: (_v, row) => (
        <Space size={4}>
          {pool?.isMember ? (
            <Button size="small" type="link" icon={<CloudDownloadOutlined />} onClick={() => void doClaim([row.id])} data-testid="pool-claim">
              {t("pools.claim")}
            </Button>
          ) : null}
          {canAssign ? (
            <Button size="small" type="link" icon={<UserSwitchOutlined />} onClick={() => setAssigning([row.id])} data-testid="pool-assign">
              {t("pools.assign")}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  if (pools.isError) {
    return <LoadError onRetry={() => void pools.refetch()} />;
  }

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("pools.title")}
          </Typography.Title>
          <Select<string>
            value={poolId ?? undefined}
            onChange={pickPool}
            style={{ minWidth: 200 }}
            loading={pools.isLoading}
            options={list.map((p) => ({ value: p.id, label: `${p.name} (${p.customerCount})` }))}
            data-testid="pool-picker"
          />
        </Space>
        <Space wrap>
          <Link to="/pools/expiring" data-testid="pool-expiring-link">
            {t("pools.expiring.title")}
          </Link>
          {can("pool:edit") ? (
            <Link to="/settings/pools" data-testid="pool-settings-link">
              <SettingOutlined /> {t("pools.settings.title")}
            </Link>
          ) : null}
        </Space>
      </Flex>
      <Card size="small">
        <UsageBar pool={pool} />
      </Card>
      <Flex gap={8} wrap>
        <Input.Search
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t("pools.searchPlaceholder")}
          style={{ width: 240 }}
          data-testid="pool-search"
        />
        <Select<string>
          allowClear
          placeholder={t("pools.columns.level")}
          value={filters.level ?? undefined}
          onChange={(v) => setFilters((f) => ({ ...f, level: v ?? null }))}
          options={levels.map((o) => ({ value: o.value, label: o.label }))}
          style={{ width: 140 }}
          data-testid="pool-filter-level"
        />
        <Select<string>
          allowClear
          placeholder={t("pools.columns.source")}
          value={filters.source ?? undefined}
          onChange={(v) => setFilters((f) => ({ ...f, source: v ?? null }))}
          options={sources.map((o) => ({ value: o.value, label: o.label }))}
          style={{ width: 140 }}
          data-testid="pool-filter-source"
        />
        <Select<string>
          allowClear
          placeholder={t("pools.columns.industry")}
          value={filters.industry ?? undefined}
          onChange={(v) => setFilters((f) => ({ ...f, industry: v ?? null }))}
          options={industries.map((o) => ({ value: o.value, label: o.label }))}
          style={{ width: 140 }}
          data-testid="pool-filter-industry"
        />
        {selected.length > 0 ? (
          <Space>
            <Typography.Text data-testid="pool-selected-count">{t("pools.selected", { count: selected.length })}</Typography.Text>
            {pool?.isMember ? (
              <Button type="primary" loading={claim.isPending} onClick={() => void doClaim(selected)} data-testid="pool-claim-bulk">
                {t("pools.claimSelected")}
              </Button>
            ) : null}
            {canAssign ? (
              <Button onClick={() => setAssigning(selected)} data-testid="pool-assign-bulk">
                {t("pools.assignSelected")}
              </Button>
            ) : null}
          </Space>
        ) : null}
      </Flex>
      {customers.isError ? (
        <LoadError onRetry={() => void customers.refetch()} />
      ) : (
        <Table<PoolCustomer>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={customers.isLoading}
          pagination={false}
          scroll={{ x: 1300 }}
          rowSelection={pool?.isMember || canAssign ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
          onRow={() => ({ "data-testid": "pool-row" }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty description={t("pools.empty")} /> }}
          data-testid="pool-table"
        />
      )}
      {customers.hasNextPage ? (
        <Button onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage} data-testid="pool-more">
          {t("pools.more")}
        </Button>
      ) : null}
      {assigning && poolId ? <AssignPoolModal poolId={poolId} customerIds={assigning} onClose={() => setAssigning(null)} onDone={(done) => setSelected((s) => s.filter((id) => !done.includes(id)))} /> : null}
    </Flex>
  );
}
