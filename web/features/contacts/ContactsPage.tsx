import { ClearOutlined, PlusOutlined } from "@ant-design/icons";
import { BinToggle, sortAfterBinSwitch } from "../customers/BinToggle";
import { Button, Card, Checkbox, Flex, Form, Input, Modal, Skeleton, Tag } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { ColumnChooser } from "../../components/ColumnChooser";
import { loadColumnPrefs, saveColumnPrefs } from "../../components/column-prefs";
import { testId } from "../../components/test-id";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { ContactFormModal } from "../customer-360/ContactFormModal";
import type { RenderContext } from "../customers/customer-columns";
import { useConditionText } from "../customers/CustomerFilterBar";
import { FilterBuilder } from "../customers/FilterBuilder";
import { useUserNames } from "../customers/user-directory";
import { UserPicker } from "../customers/UserPicker";
import { CustomerSelect } from "../deals/pickers";
import { usePicklists } from "../picklists/picklists-api";
import { SavedViewBar } from "../saved-views/SavedViewBar";
import type { SavedView } from "../saved-views/saved-views-api";
import { contactColumnCatalog, DEFAULT_CONTACT_COLUMNS, deletedAtContactColumn } from "./contact-columns";
import { contactFilterFields } from "./contact-fields";
import { awaitsCustomFields, knownConditions, knownSort } from "../customers/list-url";
import { type UrlWrite, useUrlState } from "../customers/use-url-state";
import {
  type ContactFilters,
  contactListFromUrl,
  type ContactListState,
  contactListToUrl,
  DEFAULT_CONTACT_SORT,
  EMPTY_CONTACT_FILTERS,
  fromContactListFilters,
  toContactListFilters,
} from "./contact-filters";
import { ContactResults } from "./ContactResults";
import { type ContactListParams, type ContactRow, useInvalidateContacts } from "./contacts-api";

type Editing = { kind: "pickCustomer" } | { kind: "form"; customerId: string; contact: ContactRow | null } | null;

/** 联系人列表: search and filters, chosen columns, a virtualized keyset-paged table, bulk delete, recycle bin. */
export function ContactsPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const can = useCan();
  const fieldRule = useFieldRules("contact");
  const customFields = useCustomFields("contact");
  const picklists = usePicklists();
  const invalidate = useInvalidateContacts();
  // Filters, search, sort, saved view and recycle bin live in the URL, so Back and a reload keep them.
  const [url, writeUrl] = useUrlState(contactListFromUrl, contactListToUrl);
  const [search, setSearch] = useState(url.filters.q);
  const [lastQ, setLastQ] = useState(url.filters.q);
  const [columns, setColumns] = useState<string[]>(() => loadColumnPrefs("contacts", me.user.id) ?? DEFAULT_CONTACT_COLUMNS);
  const [editing, setEditing] = useState<Editing>(null);
  // A shared link may open the bin for someone who may not see it.
  const deleted = url.deleted && can("contact:delete");
  const defaultSort = deleted ? "-deletedAt" : DEFAULT_CONTACT_SORT;
  const customFieldsLoaded = !customFields.isPending;
  const activeViewId = url.viewId;

  // A saved view, "reset" or Back replaces q from outside: show it in the box.
  if (url.filters.q !== lastQ) {
    setLastQ(url.filters.q);
    setSearch(url.filters.q);
  }

  const definitions = useMemo(() => customFields.data?.data ?? [], [customFields.data]);
  const hidden = (field: string) => fieldRule(field).access === "hidden";
  const ctx: RenderContext = {
    t,
    picklist: (list, value) => {
      if (!value) {
        return null;
      }
      return picklists.data?.lists[list]?.find((o) => o.value === value) ?? { value, label: value, color: null, active: false };
    },
    currency: me.workspace.currency,
    language: i18n.language,
  };
  const catalog = contactColumnCatalog(definitions, ctx).filter((c) => c.permissionField === undefined || !hidden(c.permissionField));
  const byKey = new Map(catalog.map((c) => [c.key, c]));
  const shownColumns = [
    byKey.get("name"),
    ...(deleted ? [deletedAtContactColumn(t)] : []),
    ...columns.filter((key) => key !== "name").map((key) => byKey.get(key)),
  ].filter((c) => c !== undefined);
  const fields = contactFilterFields(t, definitions, fieldRule);
  // What the URL asks for, less what this user cannot filter or sort on (or what was never a field).
  const filters: ContactFilters = { ...url.filters, conditions: knownConditions(url.filters.conditions, fields, customFieldsLoaded) };
  const sortable = [...catalog.flatMap((c) => (c.sortField ? [c.sortField] : [])), ...(deleted ? ["deletedAt"] : [])];
  const sort = knownSort(url.sort, sortable, customFieldsLoaded, defaultSort);
  const update = (change: Partial<ContactListState>, how?: UrlWrite) => writeUrl({ filters, sort, viewId: activeViewId, deleted, ...change }, how);
  const conditionText = useConditionText(fields);
  const conditionUsers = filters.conditions.flatMap((c) =>
    fields.find((f) => f.key === c.field)?.kind === "user" ? (Array.isArray(c.value) ? c.value : [c.value]) : [],
  );
  const userNames = useUserNames(conditionUsers);
  const set = (change: Partial<ContactFilters>, how?: UrlWrite) => update({ filters: { ...filters, ...change } }, how);
  const params: ContactListParams = { filters: toContactListFilters(filters), sort, deleted };
  const filtered = Object.keys(params.filters).length > 0;

  const chooseColumns = (next: string[]) => {
    setColumns(next);
    saveColumnPrefs("contacts", me.user.id, next);
  };

  // A saved view (视图) sets the filters, sort and columns; none resets them.
  const applyView = (view: SavedView | null) => {
    update({
      filters: view ? fromContactListFilters(view.definition.filters) : EMPTY_CONTACT_FILTERS,
      sort: view?.definition.sort ?? defaultSort,
      viewId: view?.id ?? null,
    });
    if (view && view.definition.columns.length > 0) {
      setColumns(view.definition.columns);
    }
  };

  const closeForm = () => {
    setEditing(null);
    // The form refreshes the 360° view it came from; the list is refreshed here.
    void invalidate();
  };

  return (
    <Card
      title={t("contacts.title")}
      data-testid="contacts-page"
      extra={
        <Flex gap={8} wrap>
          {!deleted ? (
            <SavedViewBar entity="contact" activeId={activeViewId} current={{ filters: params.filters, sort, columns }} canShare={can("contact:edit")} onApply={applyView} />
          ) : null}
          <ColumnChooser
            available={catalog}
            chosen={columns}
            defaults={DEFAULT_CONTACT_COLUMNS}
            onChange={chooseColumns}
            i18nKey="customers.columns"
            testIdPrefix="contacts-"
            buttonTestId="contacts-columns"
          />
          {can("contact:delete") ? (
            <BinToggle
              list="contacts"
              deleted={deleted}
              onChange={(toBin) => update({ deleted: toBin, sort: sortAfterBinSwitch(toBin, sort, DEFAULT_CONTACT_SORT) })}
            />
          ) : null}
          {can("contact:create") && !deleted ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: "pickCustomer" })} data-testid="contacts-create">
              {t("contacts.create")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center" data-testid="contacts-filter-bar">
          <Input.Search
            allowClear
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              if (event.target.value === "" && filters.q !== "") {
                set({ q: "" }, { replace: true });
              }
            }}
            // Searches replace the history entry: Back leaves the list rather than stepping through them.
            onSearch={(value) => set({ q: value.trim() }, { replace: true })}
            placeholder={t("contacts.searchPlaceholder")}
            style={{ width: 260 }}
            data-testid="contacts-search"
          />
          {can("user:view") ? (
            <UserPicker
              multiple
              value={filters.ownerIds}
              onChange={(ownerIds) => set({ ownerIds })}
              placeholder={t("contacts.field.owner")}
              testId="contacts-filter-owner"
              style={{ width: 150 }}
            />
          ) : null}
          <Checkbox checked={filters.primaryOnly} onChange={(e) => set({ primaryOnly: e.target.checked })} data-testid="contacts-filter-primary">
            {t("contacts.filter.primaryOnly")}
          </Checkbox>
          <Checkbox checked={filters.decisionMakersOnly} onChange={(e) => set({ decisionMakersOnly: e.target.checked })} data-testid="contacts-filter-decision">
            {t("contacts.filter.decisionMakersOnly")}
          </Checkbox>
          <FilterBuilder fields={fields} conditions={filters.conditions} onApply={(conditions) => set({ conditions })} />
          {filtered ? (
            <Button
              type="link"
              icon={<ClearOutlined />}
              onClick={() => applyView(null)}
              data-testid="contacts-filter-reset"
            >
              {t("customers.filter.reset")}
            </Button>
          ) : null}
        </Flex>
        {filters.conditions.length > 0 ? (
          <Flex gap={4} wrap data-testid="contacts-conditions">
            {filters.conditions.map((condition) => (
              <Tag key={condition.id} closable color="blue" onClose={() => set({ conditions: filters.conditions.filter((c) => c.id !== condition.id) })}>
                {conditionText(condition, userNames)}
              </Tag>
            ))}
          </Flex>
        ) : null}
        {awaitsCustomFields(url.filters.conditions, url.sort, customFieldsLoaded) ? (
          <Skeleton active />
        ) : (
          <ContactResults
            key={JSON.stringify(params)}
            params={params}
            columns={shownColumns}
            onSortChange={(next) => update({ sort: next ?? defaultSort })}
            onEdit={(contact) => setEditing({ kind: "form", customerId: contact.customerId, contact })}
          />
        )}
      </Flex>
      {editing?.kind === "pickCustomer" ? (
        <PickCustomerModal onPick={(customerId) => setEditing({ kind: "form", customerId, contact: null })} onClose={() => setEditing(null)} />
      ) : null}
      {editing?.kind === "form" ? <ContactFormModal customerId={editing.customerId} contact={editing.contact} onClose={closeForm} /> : null}
    </Card>
  );
}

/** A new contact belongs to a customer: pick it first, then the usual contact form opens. */
function PickCustomerModal({ onPick, onClose }: { onPick: (customerId: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [customerId, setCustomerId] = useState<string | null>(null);
  return (
    <Modal
      open
      title={t("contacts.pickCustomer")}
      onCancel={onClose}
      onOk={() => (customerId ? onPick(customerId) : undefined)}
      okButtonProps={{ disabled: customerId === null, ...testId("contacts-pick-customer-ok") }}
      okText={t("contacts.next")}
    >
      <Form layout="vertical">
        <Form.Item label={t("contacts.field.customer")} required>
          <CustomerSelect value={customerId} onChange={setCustomerId} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
