import { ExportOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Flex, Input, Select, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useCan } from "../../app/session";
import { formatAmount } from "../approvals/approval-format";
import { EntityExportModal } from "../deals/EntityExportModal";
import { contractExportFilter } from "./contract-export-filter";
import { ContractStatusTag } from "./contract-status";
import { ContractFormDrawer } from "./ContractFormDrawer";
import { type Contract, CONTRACT_STATUSES, useContracts } from "./contracts-api";

/**
 * 合同 list: status, sign-date range and text filters kept in the URL. Other pages open the form
 * with `?new=1&dealId=…` or `?new=1&customerId=…`; the to-do center links `?expiringWithin=30`.
 */
export function ContractsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const get = (key: string) => params.get(key) ?? undefined;
  const filter = { status: get("status"), q: get("q"), signFrom: get("signFrom"), signTo: get("signTo"), customerId: get("customerId"), expiringWithin: get("expiringWithin") };
  const contracts = useContracts(filter);
  const rows = contracts.data?.pages.flatMap((p) => p.data) ?? [];
  const total = contracts.data?.pages[0]?.total;
  const creating = params.get("new") === "1";
  const [exporting, setExporting] = useState(false);

  const set = (changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === "") {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<Contract> = [
    {
      title: t("contracts.fields.number"),
      key: "number",
      render: (_, c) => (
        <Link to={`/contracts/${c.id}`} data-testid={`contract-link-${c.id}`}>
          {c.number}
        </Link>
      ),
    },
    { title: t("contracts.fields.name"), dataIndex: "name", key: "name" },
    { title: t("contracts.fields.customer"), key: "customer", render: (_, c) => <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link> },
    { title: t("contracts.fields.total"), key: "total", align: "right", render: (_, c) => formatAmount(c.total) },
    { title: t("contracts.fields.status"), key: "status", render: (_, c) => <ContractStatusTag status={c.status} /> },
    { title: t("contracts.fields.signDate"), key: "signDate", render: (_, c) => c.signDate ?? "—" },
    { title: t("contracts.fields.endDate"), key: "endDate", render: (_, c) => c.endDate ?? "—" },
    { title: t("contracts.fields.owner"), key: "owner", render: (_, c) => c.ownerName ?? "—" },
  ];

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          {t("contracts.title")}
          {total !== undefined ? <Typography.Text type="secondary">({total})</Typography.Text> : null}
        </Flex>
      }
      extra={
        <Flex gap={8}>
          {can("contract:export") ? (
            <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="contracts-export">
              {t("contracts.export")}
            </Button>
          ) : null}
          {can("contract:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => set({ new: "1" })} data-testid="contract-create">
              {t("contracts.create")}
            </Button>
          ) : null}
        </Flex>
      }
      data-testid="contracts-page"
    >
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear defaultValue={filter.q} placeholder={t("contracts.search")} onSearch={(v) => set({ q: v })} style={{ width: 240 }} data-testid="contracts-search" />
        <Select
          allowClear
          placeholder={t("contracts.fields.status")}
          value={filter.status}
          onChange={(v: string | undefined) => set({ status: v })}
          options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`contracts.status.${s}`) }))}
          style={{ width: 160 }}
          data-testid="contracts-status-filter"
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[filter.signFrom ? dayjs(filter.signFrom) : null, filter.signTo ? dayjs(filter.signTo) : null]}
          onChange={(range) => set({ signFrom: range?.[0]?.format("YYYY-MM-DD"), signTo: range?.[1]?.format("YYYY-MM-DD") })}
          placeholder={[t("contracts.signFrom"), t("contracts.signTo")]}
          data-testid="contracts-sign-range"
        />
        {filter.expiringWithin ? (
          <Tag closable onClose={() => set({ expiringWithin: null })} data-testid="contracts-expiring-filter">
            {t("contracts.expiringWithin", { days: filter.expiringWithin })}
          </Tag>
        ) : null}
      </Flex>
      <Table<Contract> rowKey="id" columns={columns} dataSource={rows} loading={contracts.isLoading} pagination={false} data-testid="contracts-table" />
      {contracts.hasNextPage ? (
        <Button onClick={() => void contracts.fetchNextPage()} loading={contracts.isFetchingNextPage} style={{ marginTop: 12 }} data-testid="contracts-more">
          {t("contracts.more")}
        </Button>
      ) : null}
      <ContractFormDrawer
        open={creating}
        contract={null}
        source={creating ? { dealId: get("dealId") ?? null, customerId: get("customerId") ?? null } : null}
        onClose={() => set({ new: null, dealId: null })}
        onSaved={(id) => void navigate(`/contracts/${id}`)}
      />
      {exporting ? <EntityExportModal entity="contract" filter={contractExportFilter(filter, dayjs().format("YYYY-MM-DD"))} onClose={() => setExporting(false)} /> : null}
    </Card>
  );
}
