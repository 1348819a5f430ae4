import { useMemo } from "react";
import { customerContactColumns } from "../../../common/customer-contact-columns";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFieldRules } from "../../app/session";
import { CUSTOMIZABLE_ENTITIES, useCustomFields } from "../custom-fields/custom-fields-api";
import type { ImportEntity, ImportUpload } from "./imports-api";

/** The server's upload answer names the entity's fields; these are only for an answer without them (older server). */
const FALLBACK_FIELDS: Record<string, readonly string[]> = {
  customer: ["name", "kind", "phone", "email", "website", "level", "source", "industry", "lifecycleStage", "province", "city", "district", "address", "remark", "owner", "tags", ...Object.keys(customerContactColumns)],
  contact: ["customer", "name", "phone", "email", "title", "department", "wechat", "isPrimary", "isDecisionMaker", "remark"],
};
const FALLBACK_REQUIRED: Record<string, readonly string[]> = { customer: ["name"], contact: ["customer", "name"] };

/** A customer file's 联系人 columns fill its primary contact: the contact's field rules guard them. */
const CONTACT_COLUMNS: Readonly<Record<string, string>> = customerContactColumns;

/** Fields without which a row cannot be imported (from the server's upload answer). */
export function requiredFields(entity: ImportEntity, upload: ImportUpload): readonly string[] {
  return upload.requiredFields ?? FALLBACK_REQUIRED[entity] ?? ["name"];
}

export interface TargetOption {
  value: string;
  label: string;
  custom: boolean;
  required: boolean;
}

/** A field's label in the wizard: the import wording first, then the entity's own form label. */
function fieldLabel(t: TFunction, entity: ImportEntity, field: string): string {
  return t(`imports.field.${entity}.${field}`, { defaultValue: t(`${entity}s.field.${field}`, { defaultValue: field }) });
}

/**
 * The mapping targets for an entity: the built-in fields the server offers (minus those the
 * user's field rules hide — the server would refuse them), then custom fields (`cf.<key>`).
 */
export function useImportTargets(entity: ImportEntity, upload: ImportUpload | null) {
  const { t } = useTranslation();
  // Every importable entity so far has custom fields; one without simply offers none.
  const customizable = CUSTOMIZABLE_ENTITIES.find((e) => e === entity);
  const customFields = useCustomFields(customizable ?? "customer");
  const definitions = customFields.data?.data;
  const ownRule = useFieldRules(entity);
  const contactRule = useFieldRules("contact");
  return useMemo(() => {
    const contactField = entity === "customer" ? (field: string) => CONTACT_COLUMNS[field] : () => undefined;
    const rule = (field: string) => {
      const other = contactField(field);
      return other === undefined ? ownRule(field) : contactRule(other);
    };
    const offered = upload?.fields ?? FALLBACK_FIELDS[entity] ?? [];
    const required = new Set(upload ? requiredFields(entity, upload) : []);
    const builtIn = offered.filter((field) => required.has(field) || rule(field).access === "edit");
    for (const guess of Object.values(upload?.guesses ?? {})) {
      if (guess && !guess.startsWith("cf.") && !builtIn.includes(guess)) {
        builtIn.push(guess);
      }
    }
    const options: TargetOption[] = builtIn.map((field) => ({ value: field, label: fieldLabel(t, entity, field), custom: false, required: required.has(field) }));
    for (const definition of customizable ? (definitions ?? []) : []) {
      options.push({ value: `cf.${definition.key}`, label: definition.label, custom: true, required: false });
    }
    return options;
  }, [definitions, customizable, entity, ownRule, contactRule, t, upload]);
}

/** The label of a mapping target (for preview column titles). */
export function targetLabel(options: readonly TargetOption[], field: string): string {
  return options.find((option) => option.value === field)?.label ?? field;
}
