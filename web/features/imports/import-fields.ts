import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import type { ImportEntity, ImportUpload } from "./imports-api";

/** Built-in targets a column can be mapped to; the server may guess others, which are kept. */
const BUILT_IN: Record<ImportEntity, readonly string[]> = {
  customer: [
    "name",
    "kind",
    "phone",
    "email",
    "website",
    "level",
    "source",
    "industry",
    "lifecycleStage",
    "province",
    "city",
    "district",
    "address",
    "remark",
    "owner",
    "tags",
  ],
  contact: ["customer", "name", "phone", "email", "title", "department", "wechat", "isPrimary", "isDecisionMaker", "remark"],
};

/** Fields without which a row cannot be imported. */
export const REQUIRED: Record<ImportEntity, readonly string[]> = {
  customer: ["name"],
  contact: ["customer", "name"],
};

export interface TargetOption {
  value: string;
  label: string;
  custom: boolean;
}

/** The mapping targets for an entity: built-in fields, then custom fields (`cf.<key>`). */
export function useImportTargets(entity: ImportEntity, upload: ImportUpload | null) {
  const { t } = useTranslation();
  const customFields = useCustomFields(entity);
  return useMemo(() => {
    const builtIn = [...BUILT_IN[entity]];
    for (const guess of Object.values(upload?.guesses ?? {})) {
      if (guess && !guess.startsWith("cf.") && !builtIn.includes(guess)) {
        builtIn.push(guess);
      }
    }
    const options: TargetOption[] = builtIn.map((field) => ({
      value: field,
      label: t(`imports.field.${entity}.${field}`, { defaultValue: field }),
      custom: false,
    }));
    for (const definition of customFields.data?.data ?? []) {
      options.push({ value: `cf.${definition.key}`, label: definition.label, custom: true });
    }
    return options;
  }, [customFields.data, entity, t, upload]);
}

/** The label of a mapping target (for preview column titles). */
export function targetLabel(options: readonly TargetOption[], field: string): string {
  return options.find((option) => option.value === field)?.label ?? field;
}
