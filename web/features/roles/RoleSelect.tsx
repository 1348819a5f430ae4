import { Select } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useRoles } from "./roles-api";

interface RoleSelectBaseProps {
  /** Names for current values when the role list cannot be loaded (no role:view). */
  knownLabels?: Record<string, string>;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
}

export interface RoleSelectProps extends RoleSelectBaseProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
}

export interface RoleMultiSelectProps extends RoleSelectBaseProps {
  value?: string[];
  onChange?: (value: string[]) => void;
}

function useRoleOptions(knownLabels: Record<string, string> | undefined, disabled: boolean | undefined) {
  const roles = useRoles(!disabled);
  const options = useMemo(() => {
    const list = (roles.data ?? []).map((role) => ({ value: role.id, label: role.name }));
    for (const [value, label] of Object.entries(knownLabels ?? {})) {
      if (!list.some((option) => option.value === value)) {
        list.push({ value, label });
      }
    }
    return list;
  }, [roles.data, knownLabels]);
  return { options, loading: roles.isFetching };
}

export function RoleSelect({ value, onChange, knownLabels, placeholder, disabled, testId }: RoleSelectProps) {
  const { t } = useTranslation();
  const { options, loading } = useRoleOptions(knownLabels, disabled);
  return (
    <Select<string>
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      loading={loading}
      showSearch={{ optionFilterProp: "label" }}
      placeholder={placeholder ?? t("common.selectRole")}
      disabled={disabled}
      data-testid={testId}
    />
  );
}

export function RoleMultiSelect({ value, onChange, knownLabels, placeholder, disabled, testId }: RoleMultiSelectProps) {
  const { t } = useTranslation();
  const { options, loading } = useRoleOptions(knownLabels, disabled);
  return (
    <Select<string[]>
      mode="multiple"
      value={value ?? []}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={loading}
      showSearch={{ optionFilterProp: "label" }}
      placeholder={placeholder ?? t("common.selectRoles")}
      disabled={disabled}
      data-testid={testId}
    />
  );
}
