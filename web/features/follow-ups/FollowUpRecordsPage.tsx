import { ExportOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Flex, Input, Select, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { UserPicker } from "../customers/UserPicker";
import { useUrlState } from "../customers/use-url-state";
import { EntityExportModal } from "../deals/EntityExportModal";
import { usePicklist, usePicklistLookup } from "../picklists/picklists-api";
import { AttachmentLinks } from "./Attachments";
import { decodeRecordFilters, encodeRecordFilters, type RecordEntity, recordEntities, type RecordFilters, recordsQuery } from "./follow-up-records";
import { type FollowUp, useFollowUpRecords, useFollowUpRecordsCount } from "./follow-ups-api";

/** 跟进记录: every follow-up the user may see — the team's, for a manager — filtered by time, type, author and text. */
export function FollowUpRecordsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [filters, setFilters] = useUrlState<RecordFilters>(decodeRecordFilters, encodeRecordFilters);
  const [search, setSearch] = useState(filters.q);
  const [exporting, setExporting] = useState(false);
  const types = usePicklist("followUp.type");
  const typeOf = usePicklistLookup("followUp.type");
  const query = recordsQuery(filters);
  const list = useFollowUpRecords(query);
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const canExport = can("followUp:export");
  const counted = useFollowUpRecordsCount(query);
  const total = query.q === undefined ? counted.data?.total : undefined;
  // A content search reads a slice of the follow-ups per request and says how far back it got.
  const searchedTo = list.hasNextPage ? list.data?.pages.at(-1)?.searchedTo : undefined;
  const update = (patch: Partial<RecordFilters>) => setFilters({ ...filters, ...patch });
  // The count when there is one (it comes after the rows), else how many are loaded (a content search).
  const totalText = () => {
    if (list.data === undefined || (query.q === undefined && counted.data === undefined && !counted.isError)) {
      return "\u00a0";
    }
    if (total === undefined) {
      return t(list.hasNextPage ? "followUps.records.loadedMore" : "followUps.records.loaded", { count: rows.length });
    }
    return t(counted.data?.countExact === false ? "followUps.records.totalOver" : "followUps.records.total", { count: total });
  };

  const columns: TableColumnsType<FollowUp> = [
    { title: t("followUps.records.time"), dataIndex: "createdAt", render: (value: string) => <span style={{ whiteSpace: "nowrap" }}>{formatDateTime(value)}</span> },
    {
      title: t("followUps.records.about"),
      key: "about",
      width: 240,
      render: (_value, row) => (
        <Flex vertical>
          {row.customerId ? (
            <Link to={`/customers/${row.customerId}`} data-testid="follow-up-record-customer">
              {row.customerName ?? "—"}
            </Link>
          ) : null}
          {row.contactName ? <Typography.Text type="secondary">{t("followUps.aboutContact", { name: row.contactName })}</Typography.Text> : null}
          {row.entity === "deal" ? (
            <Link to={`/deals?deal=${row.recordId}`} data-testid="follow-up-record-deal">
              {t("followUps.records.aboutDeal", { name: row.recordName ?? "—" })}
            </Link>
          ) : null}
          {row.entity === "lead" ? (
            <Link to={`/leads/${row.recordId}`} data-testid="follow-up-record-lead">
              {t("followUps.records.aboutLead", { name: row.recordName ?? "—" })}
            </Link>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t("followUps.type"),
      dataIndex: "type",
      width: 110,
      render: (value: string) => {
        const option = typeOf(value);
        return <Tag color={option?.color ?? undefined}>{option?.label ?? value}</Tag>;
      },
    },
    {
      title: t("followUps.content"),
      dataIndex: "content",
      render: (value: string, row) => (
        <Flex vertical gap={2}>
          <Typography.Paragraph ellipsis={{ rows: 3, expandable: "collapsible" }} style={{ marginBottom: 0, whiteSpace: "pre-wrap" }} data-testid="follow-up-record-content">
            {value}
          </Typography.Paragraph>
          <AttachmentLinks files={row.attachments} testId="follow-up-record-attachment" />
        </Flex>
      ),
    },
    {
      title: t("followUps.nextFollowupAt"),
      dataIndex: "nextFollowupAt",
      render: (value: string | null) => <span style={{ whiteSpace: "nowrap" }}>{formatDateTime(value)}</span>,
    },
    { title: t("followUps.records.author"), dataIndex: "ownerName", width: 120, render: (value: string | null) => value ?? "—" },
  ];

  return (
    <Card
      title={t("nav.followUpRecords")}
      data-testid="follow-up-records"
      extra={
        canExport ? (
          <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="follow-up-records-export">
            {t("followUps.records.export")}
          </Button>
        ) : null
      }
    >
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t("followUps.records.searchPlaceholder")}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={(value) => update({ q: value })}
          data-testid="follow-up-records-search"
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          onChange={(range) => update({ from: range?.[0]?.format("YYYY-MM-DD") ?? null, to: range?.[1]?.format("YYYY-MM-DD") ?? null })}
          placeholder={[t("followUps.records.from"), t("followUps.records.to")]}
          data-testid="follow-up-records-range"
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t("followUps.type")}
          value={filters.types}
          onChange={(value: string[]) => update({ types: value })}
          options={types.map((option) => ({ value: option.value, label: option.label }))}
          data-testid="follow-up-records-type"
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t("followUps.records.about")}
          value={filters.entities}
          onChange={(value: RecordEntity[]) => update({ entities: value })}
          options={recordEntities.map((entity) => ({ value: entity, label: t(`followUps.records.entity.${entity}`) }))}
          data-testid="follow-up-records-about"
        />
        <UserPicker
          multiple
          style={{ minWidth: 200 }}
          placeholder={t("followUps.records.author")}
          value={filters.ownerIds}
          onChange={(value) => update({ ownerIds: value })}
          testId="follow-up-records-author"
        />
      </Flex>
      <Typography.Text type="secondary" data-testid="follow-up-records-total">
        {totalText()}
      </Typography.Text>
      {list.isError ? (
        <LoadError onRetry={() => void list.refetch()} />
      ) : (
        <Table<FollowUp>
          style={{ marginTop: 8 }}
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          // Fits a laptop's width; the content column takes what the others leave and wraps.
          scroll={{ x: 1000 }}
          onRow={() => testId("follow-up-record-row")}
          locale={{ emptyText: searchedTo ? t("followUps.records.noneSince", { date: formatDateTime(searchedTo) }) : t("followUps.records.empty") }}
          footer={
            list.hasNextPage
              ? () => (
                  <Flex justify="center">
                    <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="follow-up-records-load-more">
                      {searchedTo ? t("followUps.records.searchOlder", { date: formatDateTime(searchedTo) }) : t("common.loadMore")}
                    </Button>
                  </Flex>
                )
              : undefined
          }
        />
      )}
      {exporting ? <EntityExportModal entity="followUp" title={t("followUps.records.export")} filter={query} onClose={() => setExporting(false)} /> : null}
    </Card>
  );
}
