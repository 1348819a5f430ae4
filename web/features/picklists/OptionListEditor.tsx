import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Input, Switch, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ColorSelect } from "./ColorSelect";

/** One option as edited: `saved` values already exist on records and keep their value. */
export interface OptionRow {
  rowId: string;
  value: string;
  label: string;
  color: string | null;
  active: boolean;
  saved: boolean;
}

interface OptionListEditorProps {
  value?: OptionRow[];
  onChange?: (rows: OptionRow[]) => void;
  /** Option lists (picklists) deactivate rather than delete values in use. */
  withActive?: boolean;
  testId?: string;
}

let rowCounter = 0;
export function newRowId(): string {
  rowCounter += 1;
  return `r${rowCounter}`;
}

/** Checks the rows: every value and label filled in, values unique. Returns an error key or null. */
export function optionRowsError(rows: readonly OptionRow[]): "optionsEmpty" | "optionsIncomplete" | "optionsDuplicate" | "optionsBadValue" | null {
  if (rows.length === 0) {
    return "optionsEmpty";
  }
  if (rows.some((row) => row.value.trim() === "" || row.label.trim() === "")) {
    return "optionsIncomplete";
  }
  if (rows.some((row) => !/^[\p{L}\p{N}_.-]{1,64}$/u.test(row.value.trim()))) {
    return "optionsBadValue";
  }
  if (new Set(rows.map((row) => row.value.trim())).size !== rows.length) {
    return "optionsDuplicate";
  }
  return null;
}

/** Edits a list of options: value, label, colour, order (and active, for option lists). */
export function OptionListEditor({ value = [], onChange, withActive = false, testId = "option-editor" }: OptionListEditorProps) {
  const { t } = useTranslation();
  const update = (rowId: string, change: Partial<OptionRow>) => {
    onChange?.(value.map((row) => (row.rowId === rowId ? { ...row, ...change } : row)));
  };
  const move = (index: number, delta: number) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    if (item) {
      next.splice(index + delta, 0, item);
      onChange?.(next);
    }
  };
  return (
    <Flex vertical gap={6} data-testid={testId}>
      <Flex gap={8}>
        <Typography.Text type="secondary" style={{ width: 150 }}>
          {t("picklists.value")}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ flex: 1 }}>
          {t("picklists.label")}
        </Typography.Text>
      </Flex>
      {value.map((row, index) => (
        <Flex key={row.rowId} gap={8} align="center" data-testid={`${testId}-row`}>
          <Input
            value={row.value}
            disabled={row.saved}
            onChange={(event) => update(row.rowId, { value: event.target.value })}
            placeholder={t("picklists.value")}
            style={{ width: 150 }}
            maxLength={64}
            data-testid={`${testId}-value`}
          />
          <Input
            value={row.label}
            onChange={(event) => {
              const label = event.target.value;
              // A new option's value follows its label until edited by hand.
              const follow = !row.saved && (row.value === "" || row.value === slug(row.label));
              update(row.rowId, { label, ...(follow ? { value: slug(label) } : {}) });
            }}
            placeholder={t("picklists.label")}
            style={{ flex: 1 }}
            maxLength={100}
            data-testid={`${testId}-label`}
          />
          <ColorSelect value={row.color} onChange={(color) => update(row.rowId, { color })} testId={`${testId}-color`} />
          {withActive ? (
            <Switch
              checked={row.active}
              onChange={(active) => update(row.rowId, { active })}
              checkedChildren={t("picklists.active")}
              unCheckedChildren={t("picklists.inactive")}
              data-testid={`${testId}-active`}
            />
          ) : null}
          <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, -1)} aria-label={t("customers.columns.moveUp")} />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={index === value.length - 1}
            onClick={() => move(index, 1)}
            aria-label={t("customers.columns.moveDown")}
          />
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            disabled={withActive && row.saved}
            onClick={() => onChange?.(value.filter((r) => r.rowId !== row.rowId))}
            aria-label={t("common.delete")}
            data-testid={`${testId}-remove`}
          />
        </Flex>
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => onChange?.([...value, { rowId: newRowId(), value: "", label: "", color: null, active: true, saved: false }])}
        data-testid={`${testId}-add`}
      >
        {t("picklists.addOption")}
      </Button>
    </Flex>
  );
}

/** A value from a label: letters (any script), digits, _ . - kept; spaces become _. */
function slug(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "_")
    .replace(/[^\p{L}\p{N}_.-]/gu, "")
    .slice(0, 64);
}
