import { DatePicker, Input, InputNumber, Select } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { type FilterField, isMultiOp, isValuelessOp, type UiOp } from "./customer-fields";
import { UserPicker } from "./UserPicker";

interface ConditionValueInputProps {
  field: FilterField;
  op: UiOp;
  value: string | string[];
  onChange: (value: string | string[]) => void;
  testId: string;
}

const WIDTH = { width: 220 };

/** The value editor of one filter condition, by the field's kind and the operator. */
export function ConditionValueInput({ field, op, value, onChange, testId }: ConditionValueInputProps) {
  const { t } = useTranslation();
  if (isValuelessOp(op)) {
    return null;
  }
  const multi = isMultiOp(field, op);
  const single = Array.isArray(value) ? (value[0] ?? "") : value;
  const list = Array.isArray(value) ? value : value === "" ? [] : [value];

  switch (field.kind) {
    case "enum":
      if (field.picklist) {
        return (
          <PicklistSelect
            list={field.picklist}
            multiple={multi}
            value={multi ? list : single || null}
            onChange={(next) => onChange(next ?? (multi ? [] : ""))}
            testId={testId}
            style={WIDTH}
            placeholder={t("customers.filter.value")}
          />
        );
      }
      return (
        <Select<string | string[]>
          mode={multi ? "multiple" : undefined}
          value={multi ? list : single || undefined}
          onChange={(next) => onChange(next ?? (multi ? [] : ""))}
          options={(field.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
          showSearch={{ optionFilterProp: "label" }}
          maxTagCount="responsive"
          placeholder={t("customers.filter.value")}
          data-testid={testId}
          style={WIDTH}
        />
      );
    case "user":
      return multi ? (
        <UserPicker multiple value={list} onChange={onChange} testId={testId} style={WIDTH} />
      ) : (
        <UserPicker value={single || null} onChange={(next) => onChange(next ?? "")} testId={testId} style={WIDTH} />
      );
    case "boolean":
      return (
        <Select<string>
          value={single || undefined}
          onChange={(next) => onChange(next)}
          options={[
            { value: "true", label: t("customers.yes") },
            { value: "false", label: t("customers.no") },
          ]}
          placeholder={t("customers.filter.value")}
          data-testid={testId}
          style={WIDTH}
        />
      );
    case "date":
      return (
        <DatePicker
          value={single ? dayjs(single) : null}
          onChange={(date) => onChange(date ? date.format("YYYY-MM-DD") : "")}
          data-testid={testId}
          style={WIDTH}
        />
      );
    case "number":
    case "money":
      if (multi) {
        return (
          <Select<string[]>
            mode="tags"
            value={list}
            onChange={(next) => onChange(next.filter((v) => /^-?\d+(\.\d+)?$/.test(v)))}
            open={false}
            tokenSeparators={[",", "，", " "]}
            placeholder={t("customers.filter.values")}
            data-testid={testId}
            style={WIDTH}
          />
        );
      }
      return (
        <InputNumber<string>
          stringMode
          value={single || null}
          onChange={(next) => onChange(next ?? "")}
          precision={field.kind === "money" ? 2 : undefined}
          placeholder={t("customers.filter.value")}
          data-testid={testId}
          style={WIDTH}
        />
      );
    default:
      if (multi) {
        return (
          <Select<string[]>
            mode="tags"
            value={list}
            onChange={(next) => onChange(next)}
            open={false}
            tokenSeparators={[",", "，"]}
            placeholder={t("customers.filter.values")}
            data-testid={testId}
            style={WIDTH}
          />
        );
      }
      return (
        <Input
          value={single}
          onChange={(event) => onChange(event.target.value)}
          placeholder={t("customers.filter.value")}
          data-testid={testId}
          style={WIDTH}
          allowClear
        />
      );
  }
}
