import { ExportOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../app/api";
import { useCan } from "../../app/session";
import { errorText } from "../../components/error-text";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { type BulkCommand, BulkActionsBar } from "../customers/BulkActionsBar";
import { CustomerTable } from "../customers/CustomerTable";
import { ExportModal } from "../customers/ExportModal";
import { useRemainingHeight } from "../customers/use-remaining-height";
import type { ContactColumn } from "./contact-columns";
import { type ContactListParams, type ContactRow, useContactsList, useDeleteContacts, useInvalidateContacts, useRestoreContacts } from "./contacts-api";

interface ContactResultsProps {
  params: ContactListParams;
  columns: ContactColumn[];
  onSortChange: (sort: string | null) => void;
  onEdit: (contact: ContactRow) => void;
}

const CONTACTS = { list: "contacts", one: "contact" };

/** List columns → export columns where the names differ (the export has no owner column: owners follow the customer). */
const EXPORT_FIELDS: Record<string, string[]> = {
  customer: ["customerName"],
  owner: [],
};

/**
 * The rows of one contacts query with their total, selection and bulk actions (the customers
 * list's table and bulk bar). Mounted with the query as its key: a new filter clears the selection.
 */
export function ContactResults({ params, columns, onSortChange, onEdit }: ContactResultsProps) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const list = useContactsList(params);
  const remove = useDeleteContacts();
  const restore = useRestoreContacts();
  const invalidate = useInvalidateContacts();
  const tableBox = useRef<HTMLDivElement>(null);
  const tableHeight = useRemainingHeight(tableBox, 175);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [exporting, setExporting] = useState(false);

  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const first = list.data?.pages[0];
  const number = new Intl.NumberFormat(i18n.language);
  const totalText =
    first?.total === undefined ? null : first.countExact === false ? `${number.format(first.total)}+` : number.format(first.total);
  // The contacts API has bulk delete and bulk restore; owners follow the customer and contacts carry no tags.
  const allowed: Record<BulkCommand, boolean> = {
    assign: false,
    addTags: false,
    removeTags: false,
    setLevel: false,
    export: false,
    delete: !params.deleted && can("contact:delete"),
    restore: params.deleted && can("contact:delete"),
  };

  const run = async (command: "delete" | "restore", ids: string[]) => {
    try {
      const result = await (command === "delete" ? remove : restore).mutateAsync(ids);
      notify.success(t(command === "delete" ? "contacts.bulk.deleted" : "contacts.restored", { count: result.changed }));
      setSelectedIds([]);
    } catch (error) {
      notify.error(error);
    }
  };

  if (list.isError) {
    return list.error instanceof ApiError && list.error.status === 400 ? (
      <Alert type="error" showIcon title={t("customers.badFilter")} description={errorText(list.error, t)} data-testid="contacts-filter-error" />
    ) : (
      <LoadError onRetry={() => void list.refetch()} />
    );
  }

  return (
    <Flex vertical gap={8}>
      <Flex align="center" justify="space-between" style={{ minHeight: 32 }}>
        <Typography.Text type="secondary" data-testid="contacts-total">
          {totalText === null ? "" : t(params.deleted ? "contacts.totalDeleted" : "contacts.total", { count: totalText })}
        </Typography.Text>
        {!params.deleted && can("contact:export") ? (
          <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="contacts-export">
            {t("contacts.export.button")}
          </Button>
        ) : null}
      </Flex>
      {selectedIds.length > 0 ? (
        <BulkActionsBar
          list="contacts"
          selectedCount={selectedIds.length}
          allMatching={false}
          matchingText={totalText}
          canSelectAll={false}
          onSelectAll={() => undefined}
          onClear={() => setSelectedIds([])}
          allowed={allowed}
          onCommand={(command) => void run(command === "restore" ? "restore" : "delete", selectedIds)}
          busy={remove.isPending || restore.isPending}
        />
      ) : null}
      <div ref={tableBox}>
        <CustomerTable<ContactRow>
          entity={CONTACTS}
          rows={rows}
          columns={columns}
          sort={params.sort}
          onSortChange={onSortChange}
          loading={list.isPending}
          height={tableHeight}
          hasMore={list.hasNextPage}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          selectedIds={selectedIds}
          onSelect={allowed.delete || allowed.restore ? setSelectedIds : null}
          deleted={params.deleted}
          onEdit={onEdit}
          onDelete={(contact) => {
            // The single delete of the 360° card (DELETE /contacts/:id).
            api.delete(`/contacts/${contact.id}`).then(
              async () => {
                notify.success(t("contacts.movedToBin", { name: contact.name }));
                await invalidate();
              },
              (error: unknown) => notify.error(error),
            );
          }}
          onRestore={(contact) => void run("restore", [contact.id])}
        />
      </div>
      {exporting ? (
        <ExportModal
          entity="contact"
          filter={params.filters}
          columns={columns.flatMap((column) => EXPORT_FIELDS[column.key] ?? [column.key])}
          count={totalText ?? ""}
          onClose={() => setExporting(false)}
        />
      ) : null}
    </Flex>
  );
}
