import { Select, Tag } from "antd";
import type { CSSProperties } from "react";
import { useMemo } from "react";
import { type PicklistKey, usePicklist } from "./picklists-api";

interface PicklistSelectProps {
  list: PicklistKey;
  multiple?: boolean;
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  style?: CSSProperties;
  allowClear?: boolean;
}

/** A select over one option list; inactive options are offered only when already chosen. */
export function PicklistSelect({ list, multiple, value, onChange, placeholder, disabled, testId, style, allowClear = true }: PicklistSelectProps) {
  const options = usePicklist(list);
  const chosen = useMemo(() => new Set(Array.isArray(value) ? value : value ? [value] : []), [value]);
  const items = useMemo(
    () =>
      options
        .filter((option) => option.active || chosen.has(option.value))
        .map((option) => ({
          value: option.value,
          label: option.color ? <Tag color={option.color}>{option.label}</Tag> : option.label,
          title: option.label,
        })),
    [options, chosen],
  );
  return (
    <Select<string | string[]>
      mode={multiple ? "multiple" : undefined}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={items}
      placeholder={placeholder}
      disabled={disabled}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: "title" }}
      maxTagCount="responsive"
      data-testid={testId}
      style={style}
    />
  );
}
