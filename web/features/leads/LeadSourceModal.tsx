import { DatePicker, Flex, Modal, Progress, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { usePicklistLookup } from "../picklists/picklists-api";
import { type SourceConversion, useConversionBySource } from "./leads-api";

/** Percent with one decimal, from a 0..1 rate (the API's conversionRate). */
function percent(rate: number): number {
  return Math.round(rate * 1000) / 10;
}

/**
 * 线索来源转化: leads per source and how many were converted, for leads created in a chosen period
 * (default: this year), counted by the server within the caller's data scope.
 */
export function LeadSourceModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<{ from: string | null; to: string | null }>({ from: dayjs().startOf("year").format("YYYY-MM-DD"), to: null });
  const sourceLabel = usePicklistLookup("customer.source");
  const stats = useConversionBySource(range);
  const overall = stats.data && stats.data.total > 0 ? stats.data.converted / stats.data.total : 0;

  return (
    <Modal open title={t("leads.bySource.title")} onCancel={onClose} footer={null} width={720} data-testid="leads-by-source">
      <Flex vertical gap={12}>
        <Flex gap={12} align="center" wrap>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={[range.from ? dayjs(range.from) : null, range.to ? dayjs(range.to) : null]}
            onChange={(next) => setRange({ from: next?.[0]?.format("YYYY-MM-DD") ?? null, to: next?.[1]?.format("YYYY-MM-DD") ?? null })}
            placeholder={[t("leads.bySource.from"), t("leads.bySource.to")]}
            data-testid="leads-by-source-range"
          />
          {stats.data ? (
            <Typography.Text data-testid="leads-by-source-summary">
              {t("leads.bySource.summary", { total: stats.data.total, converted: stats.data.converted, rate: percent(overall) })}
            </Typography.Text>
          ) : null}
        </Flex>
        {stats.isError ? (
          <LoadError onRetry={() => void stats.refetch()} />
        ) : (
          <Table<SourceConversion>
            rowKey={(row) => row.source ?? ""}
            size="small"
            loading={stats.isPending}
            pagination={false}
            dataSource={stats.data?.data ?? []}
            data-testid="leads-by-source-table"
            columns={[
              {
                key: "source",
                title: t("leads.field.source"),
                render: (_: unknown, row) => (row.source ? (sourceLabel(row.source)?.label ?? row.source) : t("leads.bySource.none")),
              },
              { key: "total", title: t("leads.bySource.total"), dataIndex: "total", align: "right" },
              { key: "converted", title: t("leads.bySource.converted"), dataIndex: "converted", align: "right" },
              { key: "invalid", title: t("leads.bySource.invalid"), dataIndex: "invalid", align: "right" },
              {
                key: "rate",
                title: t("leads.bySource.rate"),
                width: 200,
                render: (_: unknown, row) => <Progress percent={percent(row.conversionRate)} size="small" format={(p) => `${p ?? 0}%`} />,
              },
            ]}
          />
        )}
      </Flex>
    </Modal>
  );
}
