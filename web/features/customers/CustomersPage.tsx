import { PlusOutlined } from "@ant-design/icons";
import { BinToggle, sortAfterBinSwitch } from "./BinToggle";
import { Button, Card, Flex, Skeleton } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { usePicklists } from "../picklists/picklists-api";
import { SavedViewBar } from "../saved-views/SavedViewBar";
import type { SavedView } from "../saved-views/saved-views-api";
import { ColumnChooser } from "../../components/ColumnChooser";
import { loadColumnPrefs, saveColumnPrefs } from "../../components/column-prefs";
import { columnCatalog, DEFAULT_COLUMNS, deletedAtColumn, type RenderContext } from "./customer-columns";
import { filterFields } from "./customer-fields";
import type { Customer } from "./customer-types";
import { CustomerFilterBar } from "./CustomerFilterBar";
import { CustomerFormDrawer } from "./CustomerFormDrawer";
import { CustomerResults } from "./CustomerResults";
import type { CustomerListParams } from "./customers-api";
import { customerListFromUrl, customerListToUrl, type CustomerListState } from "./customer-list-url";
import { type CustomerFilters, DEFAULT_SORT, EMPTY_FILTERS, fromListFilters, toListFilters } from "./list-query";
import { awaitsCustomFields, knownConditions, knownSort } from "./list-url";
import { type UrlWrite, useUrlState } from "./use-url-state";

type Editing = { kind: "create" } | { kind: "edit"; customer: Customer } | null;

/** 客户列表: filters, saved views, chosen columns, a virtualized keyset-paged table, bulk actions, recycle bin. */
export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const can = useCan();
  const fieldRule = useFieldRules("customer");
  const customFields = useCustomFields("customer");
  const picklists = usePicklists();
  // Filters, search, sort, saved view and recycle bin live in the URL, so Back from a customer and a reload keep them.
  const [url, writeUrl] = useUrlState(customerListFromUrl, customerListToUrl);
  const [columns, setColumns] = useState<string[]>(() => loadColumnPrefs("customers", me.user.id) ?? DEFAULT_COLUMNS);
  const [editing, setEditing] = useState<Editing>(null);
  // A shared link may open the bin for someone who may not see it.
  const deleted = url.deleted && can("customer:delete");
  const defaultSort = deleted ? "-deletedAt" : DEFAULT_SORT;
  const customFieldsLoaded = !customFields.isPending;

  const definitions = useMemo(() => customFields.data?.data ?? [], [customFields.data]);
  const hidden = (field: string) => fieldRule(field).access === "hidden";

  const ctx: RenderContext = {
    t,
    picklist: (list, value) => {
      if (!value) {
        return null;
      }
      const option = picklists.data?.lists[list]?.find((o) => o.value === value);
      return option ?? { value, label: value, color: null, active: false };
    },
    currency: me.workspace.currency,
    language: i18n.language,
  };
  const catalog = columnCatalog(definitions, ctx).filter((c) => c.permissionField === undefined || !hidden(c.permissionField));
  const byKey = new Map(catalog.map((c) => [c.key, c]));
  // The recycle bin shows when each row was deleted, right after its name.
  const shownColumns = [
    byKey.get("name"),
    ...(deleted ? [deletedAtColumn(t)] : []),
    ...columns.filter((key) => key !== "name").map((key) => byKey.get(key)),
  ].filter((c) => c !== undefined);
  const fields = filterFields(t, definitions, fieldRule);
  // What the URL asks for, less what this user cannot filter or sort on (or what was never a field).
  const filters: CustomerFilters = { ...url.filters, conditions: knownConditions(url.filters.conditions, fields, customFieldsLoaded) };
  const sortable = [...catalog.flatMap((c) => (c.sortField ? [c.sortField] : [])), ...(deleted ? ["deletedAt"] : [])];
  const sort = knownSort(url.sort, sortable, customFieldsLoaded, defaultSort);
  const activeViewId = url.viewId;
  const update = (change: Partial<CustomerListState>, how?: UrlWrite) => writeUrl({ filters, sort, viewId: activeViewId, deleted, ...change }, how);

  const listFilters = toListFilters(filters);
  const params: CustomerListParams = { filters: listFilters, sort, deleted };

  const chooseColumns = (next: string[]) => {
    setColumns(next);
    saveColumnPrefs("customers", me.user.id, next);
  };

  const applyView = (view: SavedView | null) => {
    if (!view) {
      update({ filters: EMPTY_FILTERS, sort: defaultSort, viewId: null });
      return;
    }
    update({ filters: fromListFilters(view.definition.filters), sort: view.definition.sort ?? defaultSort, viewId: view.id });
    if (view.definition.columns.length > 0) {
      setColumns(view.definition.columns);
    }
  };

  return (
    <Card
      title={t("customers.title")}
      data-testid="customers-page"
      extra={
        <Flex gap={8} wrap>
          <SavedViewBar
            entity="customer"
            activeId={activeViewId}
            current={{ filters: listFilters, sort, columns }}
            canShare={can("customer:edit")}
            onApply={applyView}
          />
          <ColumnChooser
            available={catalog}
            chosen={columns}
            defaults={DEFAULT_COLUMNS}
            onChange={chooseColumns}
            i18nKey="customers.columns"
            testIdPrefix=""
            buttonTestId="customers-columns"
          />
          {can("customer:delete") ? (
            <BinToggle
              list="customers"
              deleted={deleted}
              onChange={(toBin) => update({ deleted: toBin, sort: sortAfterBinSwitch(toBin, sort, DEFAULT_SORT) })}
            />
          ) : null}
          {can("customer:create") && !deleted ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: "create" })} data-testid="customers-create">
              {t("customers.create")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <CustomerFilterBar
          filters={filters}
          onChange={(next) => update({ filters: next })}
          onSearch={(q) => update({ filters: { ...filters, q } }, { replace: true })}
          onReset={() => applyView(null)}
          fields={fields}
        />
        {awaitsCustomFields(url.filters.conditions, url.sort, customFieldsLoaded) ? (
          <Skeleton active />
        ) : (
          <CustomerResults
            key={JSON.stringify(params)}
            params={params}
            columns={shownColumns}
            onSortChange={(next) => update({ sort: next ?? defaultSort })}
            onEdit={(customer) => setEditing({ kind: "edit", customer })}
          />
        )}
      </Flex>
      {editing ? (
        <CustomerFormDrawer
          key={editing.kind === "edit" ? editing.customer.id : "new"}
          customer={editing.kind === "edit" ? editing.customer : null}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}
