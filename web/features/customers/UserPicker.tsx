import { Select } from "antd";
import { useMemo, useState } from "react";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useUserOptions } from "../users/users-api";
import { useUserNames } from "./user-directory";

interface CommonProps {
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  style?: CSSProperties;
  /** Labels for values already known to the caller (e.g. the owner's name on a record). */
  knownLabels?: Record<string, string>;
}

interface SingleProps extends CommonProps {
  multiple?: false;
  value?: string | null;
  onChange?: (value: string | null) => void;
}

interface MultipleProps extends CommonProps {
  multiple: true;
  value?: string[];
  onChange?: (value: string[]) => void;
}

/** Searchable user picker (GET /users?q=), one or several; selected ids keep their names. */
export function UserPicker(props: SingleProps | MultipleProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const users = useUserOptions(q, !props.disabled);
  const selected = useMemo(
    () => (props.multiple ? (props.value ?? []) : props.value ? [props.value] : []),
    [props.multiple, props.value],
  );
  const names = useUserNames(selected);
  const knownLabels = props.knownLabels;

  const options = useMemo(() => {
    const list = (users.data?.data ?? []).map((user) => ({ value: user.id, label: user.name, title: `${user.name} <${user.email}>` }));
    for (const id of selected) {
      if (!list.some((option) => option.value === id)) {
        const label = knownLabels?.[id] ?? names.get(id) ?? id.slice(0, 8);
        list.unshift({ value: id, label, title: label });
      }
    }
    return list;
  }, [users.data, selected, names, knownLabels]);

  const common = {
    options,
    allowClear: true,
    showSearch: { filterOption: false, onSearch: setSearch },
    loading: users.isFetching,
    placeholder: props.placeholder ?? t("common.selectUser"),
    notFoundContent: users.isFetching ? t("common.loading") : t("common.noData"),
    disabled: props.disabled,
    "data-testid": props.testId,
    style: props.style,
    maxTagCount: "responsive" as const,
  };

  if (props.multiple) {
    const onChange = props.onChange;
    return (
      <Select<string[]> {...common} mode="multiple" value={props.value ?? []} onChange={(next) => onChange?.(next)} />
    );
  }
  const onChange = props.onChange;
  return <Select<string> {...common} value={props.value ?? undefined} onChange={(next) => onChange?.(next ?? null)} />;
}
