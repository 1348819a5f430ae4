import { Select, Tag as AntTag } from "antd";
import type { CSSProperties } from "react";
import { useMemo } from "react";
import { useTags } from "./tags-api";

interface TagSelectProps {
  value?: string[];
  onChange?: (value: string[]) => void;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  style?: CSSProperties;
}

/** Picks tags by id from the workspace's tags. */
export function TagSelect({ value, onChange, placeholder, disabled, testId, style }: TagSelectProps) {
  const tags = useTags();
  const options = useMemo(
    () =>
      (tags.data?.data ?? []).map((tag) => ({
        value: tag.id,
        label: <AntTag color={tag.color}>{tag.name}</AntTag>,
        title: tag.name,
      })),
    [tags.data],
  );
  return (
    <Select<string[]>
      mode="multiple"
      value={value ?? []}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={tags.isPending}
      placeholder={placeholder}
      disabled={disabled}
      allowClear
      showSearch={{ optionFilterProp: "title" }}
      maxTagCount="responsive"
      data-testid={testId}
      style={style}
    />
  );
}
