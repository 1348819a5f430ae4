import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import type { CustomFieldDefinition } from "../customers/customer-types";
import type { Contact } from "./customer-360-types";
import { usePicklistLabel } from "./picklist-label";

/** Built-in customer fields that have a translated label under customer360.field.*. */
export const CUSTOMER_FIELDS = [
  "name",
  "kind",
  "phone",
  "email",
  "website",
  "level",
  "source",
  "industry",
  "lifecycleStage",
  "dealStatus",
  "owner",
  "ownerId",
  "locked",
  "province",
  "city",
  "district",
  "address",
  "primaryContactId",
  "remark",
  "tags",
  "lastFollowupAt",
  "lastFollowupContent",
  "nextFollowupAt",
  "createdAt",
  "updatedAt",
] as const;

const KNOWN_FIELDS = new Set<string>(CUSTOMER_FIELDS);

function isDateField(field: string): boolean {
  return field.endsWith("At");
}

export interface FieldFormatter {
  label: (field: string) => string;
  value: (field: string, value: unknown) => string;
}

function plain(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined || value === "") {
    return "—";
  }
  if (typeof value === "boolean") {
    return value ? yes : no;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "—" : value.map((item) => plain(item, yes, no)).join(", ");
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") {
    return String(value);
  }
  return JSON.stringify(value) ?? "—";
}

/** A custom value for display: option labels for selects, local time for datetimes. */
export function formatCustomValue(definition: CustomFieldDefinition, value: unknown, yes: string, no: string): string {
  const optionLabel = (item: unknown) => definition.options.find((option) => option.value === item)?.label ?? item;
  if (definition.type === "singleSelect") {
    return plain(optionLabel(value), yes, no);
  }
  if (definition.type === "multiSelect" && Array.isArray(value)) {
    return plain(value.map(optionLabel), yes, no);
  }
  if (definition.type === "datetime" && typeof value === "string") {
    return formatDateTime(value);
  }
  return plain(value, yes, no);
}

/**
 * Labels and display values for customer fields, built-in (translated) and custom (`cf.<key>`,
 * labelled by the field's definition), as they appear in forms, headers and field_change entries.
 */
export function useCustomerFieldFormat(contacts: readonly Contact[] = []): FieldFormatter {
  const { t } = useTranslation();
  const levelLabel = usePicklistLabel("customer.level");
  const sourceLabel = usePicklistLabel("customer.source");
  const industryLabel = usePicklistLabel("customer.industry");
  const customFields = useCustomFields("customer");
  const definitions = useMemo(
    () => new Map((customFields.data?.data ?? []).map((definition) => [definition.key, definition])),
    [customFields.data],
  );
  const yes = t("customer360.yes");
  const no = t("customer360.no");

  const label = useCallback(
    (field: string) => {
      if (field.startsWith("cf.")) {
        return definitions.get(field.slice(3))?.label ?? field.slice(3);
      }
      return KNOWN_FIELDS.has(field) ? t(`customer360.field.${field}`) : field;
    },
    [definitions, t],
  );

  const value = useCallback(
    (field: string, raw: unknown) => {
      if (raw === null || raw === undefined || raw === "") {
        return "—";
      }
      if (field.startsWith("cf.")) {
        const definition = definitions.get(field.slice(3));
        return definition ? formatCustomValue(definition, raw, yes, no) : plain(raw, yes, no);
      }
      const text = typeof raw === "string" ? raw : null;
      switch (field) {
        case "level":
          return levelLabel(text);
        case "source":
          return sourceLabel(text);
        case "industry":
          return industryLabel(text);
        case "lifecycleStage":
          return t(`customer360.stage.${text ?? ""}`, { defaultValue: plain(raw, yes, no) });
        case "dealStatus":
          return t(`customer360.dealStatus.${text ?? ""}`, { defaultValue: plain(raw, yes, no) });
        case "kind":
          return t(`customer360.kind.${text ?? ""}`, { defaultValue: plain(raw, yes, no) });
        case "primaryContactId":
          return contacts.find((contact) => contact.id === raw)?.name ?? plain(raw, yes, no);
        default:
          return isDateField(field) && text ? formatDateTime(text) : plain(raw, yes, no);
      }
    },
    [contacts, definitions, industryLabel, levelLabel, sourceLabel, t, yes, no],
  );

  return useMemo(() => ({ label, value }), [label, value]);
}
