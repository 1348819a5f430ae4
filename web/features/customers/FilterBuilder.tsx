import { DeleteOutlined, FilterOutlined, PlusOutlined } from "@ant-design/icons";
import { Badge, Button, Flex, Popover, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConditionValueInput } from "./ConditionValueInput";
import { type FilterField, opLabelKey, type UiOp } from "./customer-fields";
import { type Condition, coerceConditionValue, isComplete, newConditionId } from "./list-query";

interface FilterBuilderProps {
  fields: FilterField[];
  conditions: Condition[];
  onApply: (conditions: Condition[]) => void;
}

/** "Add filter": conditions on any field, custom ones included, all of which must hold (AND). */
export function FilterBuilder({ fields, conditions, onApply }: FilterBuilderProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Condition[]>(conditions);

  const openWith = (next: boolean) => {
    if (next) {
      setDraft(conditions.length > 0 ? conditions : [{ id: newConditionId(), field: "", op: "eq", value: "" }]);
    }
    setOpen(next);
  };

  const update = (id: string, change: Partial<Condition>) => {
    setDraft((rows) =>
      rows.map((row) => {
        if (row.id !== id) {
          return row;
        }
        const next = { ...row, ...change };
        const field = fields.find((f) => f.key === next.field);
        if (change.field !== undefined && field && !field.ops.includes(next.op)) {
          next.op = field.ops[0] ?? "eq";
        }
        next.value = coerceConditionValue(field, next.op, change.field !== undefined && change.field !== row.field ? "" : next.value);
        return next;
      }),
    );
  };

  const apply = () => {
    onApply(draft.filter(isComplete));
    setOpen(false);
  };

  const content = (
    <Flex vertical gap={8} style={{ minWidth: 620 }} data-testid="filter-builder">
      <Typography.Text type="secondary">{t("customers.filter.builderHint")}</Typography.Text>
      {draft.map((row, index) => {
        const field = fields.find((f) => f.key === row.field);
        return (
          <Flex key={row.id} gap={8} align="center" data-testid="filter-condition">
            <Typography.Text type="secondary" style={{ width: 48, flexShrink: 0 }}>
              {index === 0 ? t("customers.filter.where") : t("customers.filter.and")}
            </Typography.Text>
            <Select<string>
              value={row.field || undefined}
              onChange={(value) => update(row.id, { field: value })}
              options={fields.map((f) => ({ value: f.key, label: f.label }))}
              showSearch={{ optionFilterProp: "label" }}
              placeholder={t("customers.filter.field")}
              style={{ width: 180 }}
              data-testid="filter-condition-field"
            />
            <Select<UiOp>
              value={field ? row.op : undefined}
              onChange={(value) => update(row.id, { op: value })}
              placeholder={t("customers.filter.operator")}
              options={(field?.ops ?? []).map((op) => ({ value: op, label: t(opLabelKey(field, op)) }))}
              disabled={!field}
              style={{ width: 130 }}
              data-testid="filter-condition-op"
            />
            {field ? (
              <ConditionValueInput
                field={field}
                op={row.op}
                value={coerceConditionValue(field, row.op, row.value)}
                onChange={(value) => update(row.id, { value })}
                testId="filter-condition-value"
              />
            ) : (
              <span style={{ width: 220 }} />
            )}
            <Button
              type="text"
              icon={<DeleteOutlined />}
              aria-label={t("common.delete")}
              onClick={() => setDraft((rows) => rows.filter((r) => r.id !== row.id))}
              data-testid="filter-condition-remove"
            />
          </Flex>
        );
      })}
      <Flex justify="space-between">
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          onClick={() => setDraft((rows) => [...rows, { id: newConditionId(), field: "", op: "eq", value: "" }])}
          data-testid="filter-condition-add"
        >
          {t("customers.filter.addCondition")}
        </Button>
        <Flex gap={8}>
          <Button onClick={() => setDraft([])} data-testid="filter-builder-clear">
            {t("customers.filter.clearConditions")}
          </Button>
          <Button type="primary" onClick={apply} data-testid="filter-builder-apply">
            {t("customers.filter.apply")}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );

  return (
    <Popover open={open} onOpenChange={openWith} trigger="click" placement="bottomLeft" content={content} destroyOnHidden>
      <Badge count={conditions.length} size="small">
        <Button icon={<FilterOutlined />} data-testid="customers-add-filter">
          {t("customers.filter.addFilter")}
        </Button>
      </Badge>
    </Popover>
  );
}
