import { ExportOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../app/api";
import { useCan, useFieldRules } from "../../app/session";
import { errorText } from "../../components/error-text";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { type BulkCommand, BulkActionsBar } from "./BulkActionsBar";
import { BulkActionModal, type BulkDialogKind } from "./BulkActionModal";
import type { ColumnDef } from "./customer-columns";
import type { Customer } from "./customer-types";
import { type CustomerListParams, useBulkAction, useCustomersList, useDeleteCustomer, useRestoreCustomers } from "./customers-api";
import { CustomerTable } from "./CustomerTable";
import { ExportModal } from "./ExportModal";
import { useRemainingHeight } from "./use-remaining-height";

interface CustomerResultsProps {
  params: CustomerListParams;
  columns: ColumnDef[];
  onSortChange: (sort: string | null) => void;
  onEdit: (customer: Customer) => void;
}

/** Built-in column keys → the field names an export writes (custom columns keep `cf.<key>`). */
const EXPORT_FIELDS: Record<string, string[]> = {
  owner: ["ownerName"],
  region: ["province", "city", "district"],
  primaryContact: ["primaryContactName"],
};

/**
 * The rows of one list query with their total, selection and bulk actions. Mounted with the
 * query as its key, so a new filter or sort starts with a clean selection.
 */
export function CustomerResults({ params, columns, onSortChange, onEdit }: CustomerResultsProps) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const fieldRule = useFieldRules("customer");
  const notify = useNotify();
  const list = useCustomersList(params);
  const deleteCustomer = useDeleteCustomer();
  const restore = useRestoreCustomers();
  const bulk = useBulkAction();
  const tableBox = useRef<HTMLDivElement>(null);
  // Table header (~55), footer (~65), card and page padding below it (~50).
  const tableHeight = useRemainingHeight(tableBox, 175);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [allMatching, setAllMatching] = useState(false);
  const [dialog, setDialog] = useState<BulkDialogKind | null>(null);
  const [exporting, setExporting] = useState<"selection" | "all" | null>(null);

  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const first = list.data?.pages[0];
  const number = new Intl.NumberFormat(i18n.language);
  const totalText =
    first?.total === undefined ? null : first.countExact === false ? `${number.format(first.total)}+` : number.format(first.total);
  const editable = (field: string) => fieldRule(field).access === "edit" && !fieldRule(field).masked;

  const allowed: Record<BulkCommand, boolean> = params.deleted
    ? { assign: false, addTags: false, removeTags: false, setLevel: false, delete: false, export: false, restore: can("customer:delete") }
    : {
        assign: can("customer:transfer") && fieldRule("owner").access !== "hidden",
        addTags: can("customer:edit") && editable("tags"),
        removeTags: can("customer:edit") && editable("tags"),
        setLevel: can("customer:edit") && editable("level"),
        delete: can("customer:delete"),
        export: can("customer:export"),
        restore: false,
      };
  const selectable = Object.values(allowed).some(Boolean);
  const target = allMatching ? { filter: params.filters } : { ids: selectedIds };
  const selectionText = allMatching ? (totalText ?? "") : number.format(selectedIds.length);

  const clearSelection = () => {
    setSelectedIds([]);
    setAllMatching(false);
  };

  const runDelete = async () => {
    try {
      const result = await bulk.mutateAsync({ action: "delete", ...target });
      notify.success(t("customers.bulk.deleted", { count: result.changed }));
      clearSelection();
    } catch (error) {
      notify.error(error);
    }
  };

  const runRestore = async (ids: string[]) => {
    try {
      await restore.mutateAsync(ids);
      notify.success(t("customers.restored", { count: ids.length }));
      clearSelection();
    } catch (error) {
      notify.error(error);
    }
  };

  const onCommand = (command: BulkCommand) => {
    if (command === "delete") {
      void runDelete();
    } else if (command === "restore") {
      void runRestore(selectedIds);
    } else if (command === "export") {
      setExporting("selection");
    } else {
      setDialog(command);
    }
  };

  const exportColumns = columns.flatMap((column) => EXPORT_FIELDS[column.key] ?? [column.key]);

  if (list.isError) {
    // A 400 means the filters themselves are wrong (say, a saved view naming a field removed since).
    return list.error instanceof ApiError && list.error.status === 400 ? (
      <Alert type="error" showIcon title={t("customers.badFilter")} description={errorText(list.error, t)} data-testid="customers-filter-error" />
    ) : (
      <LoadError onRetry={() => void list.refetch()} />
    );
  }

  return (
    <Flex vertical gap={8}>
      <Flex align="center" justify="space-between" style={{ minHeight: 32 }}>
        <Typography.Text type="secondary" data-testid="customers-total">
          {totalText === null ? "" : t(params.deleted ? "customers.totalDeleted" : "customers.total", { count: totalText })}
        </Typography.Text>
        {!params.deleted && can("customer:export") ? (
          <Button icon={<ExportOutlined />} onClick={() => setExporting("all")} data-testid="customers-export">
            {t("customers.export.button")}
          </Button>
        ) : null}
      </Flex>
      {selectedIds.length > 0 || allMatching ? (
        <BulkActionsBar
          selectedCount={selectedIds.length}
          allMatching={allMatching}
          matchingText={totalText}
          canSelectAll={!params.deleted && first?.total !== undefined && first.total > selectedIds.length}
          onSelectAll={() => setAllMatching(true)}
          onClear={clearSelection}
          allowed={allowed}
          onCommand={onCommand}
          busy={bulk.isPending || restore.isPending}
        />
      ) : null}
      <div ref={tableBox}>
        <CustomerTable
          rows={rows}
          columns={columns}
          sort={params.sort}
          onSortChange={onSortChange}
          loading={list.isPending}
          height={tableHeight}
          hasMore={list.hasNextPage}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          selectedIds={allMatching ? rows.map((row) => row.id) : selectedIds}
          onSelect={
            selectable
              ? (ids) => {
                  setAllMatching(false);
                  setSelectedIds(ids);
                }
              : null
          }
          deleted={params.deleted}
          onEdit={onEdit}
          onDelete={(customer) => {
            deleteCustomer.mutate(customer.id, {
              onSuccess: () => notify.success(t("customers.movedToBin", { name: customer.name })),
              onError: (error) => notify.error(error),
            });
          }}
          onRestore={(customer) => void runRestore([customer.id])}
        />
      </div>
      {dialog ? (
        <BulkActionModal kind={dialog} target={target} count={selectionText} onDone={clearSelection} onClose={() => setDialog(null)} />
      ) : null}
      {exporting ? (
        <ExportModal
          filter={params.filters}
          {...(exporting === "selection" && !allMatching ? { ids: selectedIds } : {})}
          columns={exportColumns}
          count={exporting === "all" ? (totalText ?? "") : selectionText}
          onClose={() => setExporting(null)}
        />
      ) : null}
    </Flex>
  );
}
