import { Button, Flex, Table } from "antd";
import type { TableColumnsType } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Page } from "../../app/api-types";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";

/** What PaymentsTable and PlansTable both show of a row's contract. */
interface ContractRef {
  contractNumber: string | null;
  customerId: string;
  customerName: string | null;
}

/** The "contract" column (number, and its customer linked to the 360° page); left out where the page is one contract's. */
export function contractColumns<T extends ContractRef>(t: TFunction, show: boolean): TableColumnsType<T> {
  if (!show) {
    return [];
  }
  return [
    {
      title: t("payments.contract"),
      key: "contract",
      render: (_v: unknown, row: T) => (
        <Flex vertical>
          <span>{row.contractNumber ?? "—"}</span>
          <Link to={`/customers/${row.customerId}`}>{row.customerName ?? "—"}</Link>
        </Flex>
      ),
    },
  ];
}

/** The part of a TanStack infinite query the table reads (payments and plans both page by cursor). */
interface InfiniteList<T> {
  data: { pages: Page<T>[] } | undefined;
  isError: boolean;
  isPending: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => Promise<unknown>;
  fetchNextPage: () => Promise<unknown>;
}

/** A cursor-paged list as a compact table with "load more"; `name` names its test ids (`<name>-table`, `<name>-load-more`). */
export function PaymentsListTable<T extends { id: string }>({ list, columns, name, rowTestId }: { list: InfiniteList<T>; columns: TableColumnsType<T>; name: string; rowTestId: string }) {
  const { t } = useTranslation();
  if (list.isError) {
    return <LoadError onRetry={() => void list.refetch()} />;
  }
  return (
    <Table<T>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={list.data?.pages.flatMap((p) => p.data) ?? []}
      loading={list.isPending}
      pagination={false}
      scroll={{ x: "max-content" }}
      onRow={() => testId(rowTestId)}
      data-testid={`${name}-table`}
      footer={
        list.hasNextPage
          ? () => (
              <Flex justify="center">
                <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid={`${name}-load-more`}>
                  {t("common.loadMore")}
                </Button>
              </Flex>
            )
          : undefined
      }
    />
  );
}
