import { TreeSelect } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { buildDepartmentTree, useDepartments } from "./departments-api";
import type { DepartmentNode } from "./departments-api";

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: DepartmentNode[], disabledId?: string, parentDisabled = false): TreeOption[] {
  return nodes.map(({ department, children }) => {
    const disabled = parentDisabled || department.id === disabledId;
    return {
      value: department.id,
      title: department.name,
      disabled,
      children: toOptions(children, disabledId, disabled),
    };
  });
}

export interface DepartmentTreeSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** A department (and its subtree) that may not be chosen, e.g. itself as its own parent. */
  disabledId?: string;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
}

export function DepartmentTreeSelect({
  value,
  onChange,
  disabledId,
  placeholder,
  disabled,
  testId,
}: DepartmentTreeSelectProps) {
  const { t } = useTranslation();
  const departments = useDepartments(!disabled);
  const treeData = useMemo(
    () => toOptions(buildDepartmentTree(departments.data ?? []), disabledId),
    [departments.data, disabledId],
  );
  return (
    <TreeSelect<string>
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      treeData={treeData}
      treeDefaultExpandAll
      allowClear
      showSearch
      treeNodeFilterProp="title"
      loading={departments.isFetching}
      placeholder={placeholder ?? t("common.selectDepartment")}
      disabled={disabled}
      data-testid={testId}
    />
  );
}
