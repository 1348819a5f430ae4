import { Button, Flex, Popconfirm, Space, Table, Tooltip, Typography } from "antd";
import type { TableColumnsType, TableProps } from "antd";
import type { HTMLAttributes, UIEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { testId } from "../../components/test-id";
import type { ColumnDef } from "./customer-columns";
import type { Customer } from "./customer-types";

/** What a row needs for the table's actions column. */
export interface TableRecord {
  id: string;
  name: string;
  access: { edit: boolean; delete: boolean };
  /** A customer merged away waits in the bin for its purge: it links to the one it went into instead of offering a restore. */
  mergedInto?: string | null;
}

/**
 * Which list the table shows: prefixes its test ids (`customers-table`, `customer-edit`) and
 * names its locale keys (`customers.restore`, `customers.confirmDelete`, `customers.endOfList`).
 */
export interface TableEntity {
  list: string;
  one: string;
}

const CUSTOMERS: TableEntity = { list: "customers", one: "customer" };

interface CustomerTableProps<T extends TableRecord = Customer> {
  rows: T[];
  columns: ColumnDef<T>[];
  sort: string;
  onSortChange: (sort: string | null) => void;
  loading: boolean;
  height: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selectedIds: string[];
  onSelect: ((ids: string[]) => void) | null;
  deleted: boolean;
  onEdit: (record: T) => void;
  onDelete: (record: T) => void;
  onRestore: (record: T) => void;
  /** Default: customers. */
  entity?: TableEntity;
}

const ROW_HEIGHT = 47;
const ONE_LINE = { style: { whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" } } as const;
/** Start fetching the next page this many pixels before the end, so scrolling rarely waits. */
const PREFETCH_PX = ROW_HEIGHT * 30;

/**
 * The rows of a keyset-paged list (customers, contacts) in a virtualized table: only the visible
 * rows are in the DOM, and the next keyset page is fetched as the user nears the end, so
 * scrolling through 100k rows stays smooth.
 */
export function CustomerTable<T extends TableRecord = Customer>(props: CustomerTableProps<T>) {
  const { t } = useTranslation();
  const { rows, columns, sort, hasMore, loadingMore, onLoadMore, deleted } = props;
  const { list, one } = props.entity ?? CUSTOMERS;
  const sortName = sort.replace(/^-/, "");
  const descending = sort.startsWith("-");

  const tableColumns: TableColumnsType<T> = columns.map((column, index) => ({
    key: column.key,
    title: column.title,
    width: column.width,
    fixed: index === 0 ? "left" : undefined,
    // One line per row (fixed row height for the virtual list), cut with an ellipsis by plain
    // CSS: antd's `ellipsis` option costs a measuring wrapper per cell, noticeable while scrolling.
    onCell: () => ONE_LINE,
    sorter: column.sortField !== undefined,
    sortOrder: column.sortField === sortName ? (descending ? "descend" : "ascend") : null,
    render: (_value: unknown, record: T) => column.render(record),
    onHeaderCell: () => ({ "data-testid": `${list}-col-${column.key}` }) as HTMLAttributes<HTMLElement>,
  }));

  tableColumns.push({
    key: "actions",
    title: t("common.actions"),
    width: 130,
    fixed: "right",
    render: (_value: unknown, record: T) =>
      deleted ? (
        record.mergedInto ? (
          <Tooltip title={t("customers.mergedHint")}>
            <Link to={`/customers/${record.mergedInto}`} data-testid={`${one}-merged-into`}>
              {t("customers.merged")}
            </Link>
          </Tooltip>
        ) : (
          <Button type="link" size="small" onClick={() => props.onRestore(record)} data-testid={`${one}-restore`}>
            {t(`${list}.restore`)}
          </Button>
        )
      ) : (
        <Space size={0}>
          {record.access.edit ? (
            <Button type="link" size="small" onClick={() => props.onEdit(record)} data-testid={`${one}-edit`}>
              {t("common.edit")}
            </Button>
          ) : null}
          {record.access.delete ? (
            <Popconfirm
              title={t(`${list}.confirmDelete`, { name: record.name })}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, ...testId("confirm-ok") }}
              onConfirm={() => props.onDelete(record)}
            >
              <Button type="link" size="small" danger data-testid={`${one}-delete`}>
                {t("common.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
  });

  const width = tableColumns.reduce((sum, column) => sum + (typeof column.width === "number" ? column.width : 120), 0) + 48;

  const onChange: TableProps<T>["onChange"] = (_pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const column = columns.find((c) => c.key === single?.columnKey);
    if (!single?.order || !column?.sortField) {
      props.onSortChange(null);
      return;
    }
    props.onSortChange(single.order === "descend" ? `-${column.sortField}` : column.sortField);
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const target = event.currentTarget as HTMLElement | null;
    if (!target || !hasMore || loadingMore) {
      return;
    }
    if (target.scrollHeight - target.scrollTop - target.clientHeight < PREFETCH_PX) {
      onLoadMore();
    }
  };

  return (
    <Table<T>
      virtual
      rowKey="id"
      size="middle"
      columns={tableColumns}
      dataSource={rows}
      loading={props.loading}
      pagination={false}
      scroll={{ x: width, y: props.height }}
      onChange={onChange}
      onScroll={onScroll}
      showSorterTooltip={false}
      rowSelection={
        props.onSelect
          ? {
              selectedRowKeys: props.selectedIds,
              onChange: (keys) => props.onSelect?.(keys.map(String)),
              preserveSelectedRowKeys: true,
              columnWidth: 48,
            }
          : undefined
      }
      data-testid={`${list}-table`}
      footer={() => (
        <Flex justify="center" align="center" gap={12}>
          {hasMore ? (
            <Button onClick={onLoadMore} loading={loadingMore} data-testid={`${list}-load-more`}>
              {t("common.loadMore")}
            </Button>
          ) : (
            <Typography.Text type="secondary" data-testid={`${list}-end`}>
              {rows.length > 0 ? t(`${list}.endOfList`, { count: rows.length }) : null}
            </Typography.Text>
          )}
        </Flex>
      )}
    />
  );
}
