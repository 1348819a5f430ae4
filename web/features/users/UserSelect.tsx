import { Select } from "antd";
import { useMemo, useState } from "react";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useUserOptions } from "./users-api";

export interface UserSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Label for the current value when it is not among the loaded options. */
  initialLabel?: string | null;
  excludeId?: string;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  style?: CSSProperties;
}

/** Searchable single-user picker backed by GET /users?q=. */
export function UserSelect({
  value,
  onChange,
  initialLabel,
  excludeId,
  placeholder,
  disabled,
  testId,
  style,
}: UserSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const users = useUserOptions(q, !disabled);

  const options = useMemo(() => {
    const list = (users.data?.data ?? [])
      .filter((user) => user.id !== excludeId)
      .map((user) => ({ value: user.id, label: user.name, title: `${user.name} <${user.email}>` }));
    if (value && initialLabel && !list.some((option) => option.value === value)) {
      list.unshift({ value, label: initialLabel, title: initialLabel });
    }
    return list;
  }, [users.data, excludeId, value, initialLabel]);

  return (
    <Select<string>
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={users.isFetching}
      placeholder={placeholder ?? t("common.selectUser")}
      notFoundContent={users.isFetching ? t("common.loading") : t("common.noData")}
      disabled={disabled}
      data-testid={testId}
      style={style}
    />
  );
}
