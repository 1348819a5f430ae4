import { ClearOutlined } from "@ant-design/icons";
import { Button, DatePicker, Flex, Input, Select, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules } from "../../app/session";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { usePicklists } from "../picklists/picklists-api";
import { TagSelect } from "../tags/TagSelect";
import { type FilterField, isValuelessOp, opLabelKey } from "./customer-fields";
import { LIFECYCLE_STAGES } from "./customer-types";
import { FilterBuilder } from "./FilterBuilder";
import { useUserNames } from "./user-directory";
import { UserPicker } from "./UserPicker";
import { activeFilterCount, type Condition, type CustomerFilters } from "./list-query";

interface CustomerFilterBarProps {
  filters: CustomerFilters;
  onChange: (filters: CustomerFilters) => void;
  /** A search typed into the box: kept apart so the page can record it without a history entry per search. */
  onSearch: (q: string) => void;
  /** "Reset filters": back to the whole list (and no saved view). */
  onReset: () => void;
  fields: FilterField[];
}

const SELECT_WIDTH = { width: 150 };

/** A readable summary of one condition ("Level is any of A, B"). Shared with the contacts list. */
export function useConditionText(fields: FilterField[]) {
  const { t } = useTranslation();
  const picklists = usePicklists();
  return (condition: Condition, userNames: Map<string, string>) => {
    const field = fields.find((f) => f.key === condition.field);
    const label = field?.label ?? condition.field;
    const op = t(opLabelKey(field, condition.op));
    if (isValuelessOp(condition.op)) {
      return `${label} ${op}`;
    }
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    const shown = values.map((value) => {
      if (field?.kind === "user") {
        return userNames.get(value) ?? value.slice(0, 8);
      }
      if (field?.kind === "boolean") {
        return value === "true" ? t("customers.yes") : t("customers.no");
      }
      const options = field?.picklist ? (picklists.data?.lists[field.picklist] ?? []) : (field?.options ?? []);
      return options.find((o) => o.value === value)?.label ?? value;
    });
    return `${label} ${op} ${shown.join(", ")}`;
  };
}

/** Quick search and the common filters, plus the "add filter" builder for any field. */
export function CustomerFilterBar({ filters, onChange, onSearch, onReset, fields }: CustomerFilterBarProps) {
  const { t } = useTranslation();
  const can = useCan();
  const fieldRule = useFieldRules("customer");
  const [search, setSearch] = useState(filters.q);
  const [lastQ, setLastQ] = useState(filters.q);
  const conditionText = useConditionText(fields);
  const conditionUsers = filters.conditions.flatMap((c) =>
    fields.find((f) => f.key === c.field)?.kind === "user" ? (Array.isArray(c.value) ? c.value : [c.value]) : [],
  );
  const userNames = useUserNames(conditionUsers);
  const visible = (field: string) => fieldRule(field).access !== "hidden";
  const set = (change: Partial<CustomerFilters>) => onChange({ ...filters, ...change });

  // A saved view, "reset" or Back replaces q from outside: show it in the box.
  if (filters.q !== lastQ) {
    setLastQ(filters.q);
    setSearch(filters.q);
  }

  return (
    <Flex vertical gap={8} data-testid="customers-filter-bar">
      <Flex gap={8} wrap align="center">
        <Input.Search
          allowClear
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            if (event.target.value === "" && filters.q !== "") {
              onSearch("");
            }
          }}
          onSearch={(value) => onSearch(value.trim())}
          placeholder={t("customers.searchPlaceholder")}
          style={{ width: 260 }}
          data-testid="customers-search"
        />
        {visible("owner") && can("user:view") ? (
          <UserPicker
            multiple
            value={filters.ownerIds}
            onChange={(ownerIds) => set({ ownerIds })}
            placeholder={t("customers.field.owner")}
            testId="customers-filter-owner"
            style={SELECT_WIDTH}
          />
        ) : null}
        {visible("level") ? (
          <PicklistSelect
            list="customer.level"
            multiple
            value={filters.levels}
            onChange={(value) => set({ levels: Array.isArray(value) ? value : [] })}
            placeholder={t("customers.field.level")}
            testId="customers-filter-level"
            style={SELECT_WIDTH}
          />
        ) : null}
        {visible("source") ? (
          <PicklistSelect
            list="customer.source"
            multiple
            value={filters.sources}
            onChange={(value) => set({ sources: Array.isArray(value) ? value : [] })}
            placeholder={t("customers.field.source")}
            testId="customers-filter-source"
            style={SELECT_WIDTH}
          />
        ) : null}
        {visible("industry") ? (
          <PicklistSelect
            list="customer.industry"
            multiple
            value={filters.industries}
            onChange={(value) => set({ industries: Array.isArray(value) ? value : [] })}
            placeholder={t("customers.field.industry")}
            testId="customers-filter-industry"
            style={SELECT_WIDTH}
          />
        ) : null}
        {visible("lifecycleStage") ? (
          <Select<string[]>
            mode="multiple"
            allowClear
            value={filters.stages}
            onChange={(stages) => set({ stages })}
            options={LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t(`customers.enum.lifecycleStage.${stage}`) }))}
            placeholder={t("customers.field.lifecycleStage")}
            maxTagCount="responsive"
            style={SELECT_WIDTH}
            data-testid="customers-filter-stage"
          />
        ) : null}
        {visible("tags") ? (
          <TagSelect
            value={filters.tagIds}
            onChange={(tagIds) => set({ tagIds })}
            placeholder={t("customers.field.tags")}
            testId="customers-filter-tags"
            style={SELECT_WIDTH}
          />
        ) : null}
        <DatePicker.RangePicker
          value={[filters.createdFrom ? dayjs(filters.createdFrom) : null, filters.createdTo ? dayjs(filters.createdTo) : null]}
          onChange={(range) =>
            set({
              createdFrom: range?.[0] ? range[0].format("YYYY-MM-DD") : null,
              createdTo: range?.[1] ? range[1].format("YYYY-MM-DD") : null,
            })
          }
          allowEmpty={[true, true]}
          placeholder={[t("customers.filter.createdFrom"), t("customers.filter.createdTo")]}
          style={{ width: 250 }}
          data-testid="customers-filter-created"
        />
        <FilterBuilder fields={fields} conditions={filters.conditions} onApply={(conditions) => set({ conditions })} />
        {activeFilterCount(filters) > 0 ? (
          <Button
            type="link"
            icon={<ClearOutlined />}
            onClick={onReset}
            data-testid="customers-filter-reset"
          >
            {t("customers.filter.reset")}
          </Button>
        ) : null}
      </Flex>
      {filters.conditions.length > 0 ? (
        <Flex gap={4} wrap data-testid="customers-conditions">
          {filters.conditions.map((condition) => (
            <Tag
              key={condition.id}
              closable
              color="blue"
              onClose={() => set({ conditions: filters.conditions.filter((c) => c.id !== condition.id) })}
              data-testid="customers-condition-tag"
            >
              {conditionText(condition, userNames)}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
