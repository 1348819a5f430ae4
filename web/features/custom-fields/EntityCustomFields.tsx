import { Descriptions, Divider, type FormInstance } from "antd";
import { type ReactNode, useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../app/api";
import type { FieldRuleValue } from "../../app/api-types";
import { useFieldRules, useSession } from "../../app/session";
import { writable } from "../customers/custom-form-values";
import { renderCustomValue } from "../customers/customer-columns";
import type { CustomFieldDefinition, CustomValue } from "../customers/customer-types";
import { CustomFieldInput } from "../customers/CustomFieldInput";
import { type CustomizableEntity, useCustomFields } from "./custom-fields-api";
import { customFieldErrors } from "./custom-values";

export interface EntityCustomFields {
  /** Every definition, in display order: what the form fills and diffs. */
  definitions: readonly CustomFieldDefinition[];
  /** The ones this user may see (not hidden by a field rule): what the form and detail show. */
  visible: readonly CustomFieldDefinition[];
  rule: (field: string) => FieldRuleValue;
}

/** An entity's custom-field definitions with this user's field rules (`cf.<key>`). */
export function useEntityCustomFields(entity: CustomizableEntity): EntityCustomFields {
  const query = useCustomFields(entity);
  const rule = useFieldRules(entity);
  const definitions = useMemo(() => query.data?.data ?? [], [query.data]);
  const visible = useMemo(() => definitions.filter((field) => rule(`cf.${field.key}`).access !== "hidden"), [definitions, rule]);
  return { definitions, visible, rule };
}

/** The form's "Custom fields" section: one control per visible field, read-only or masked ones disabled. */
export function CustomFieldsSection({ fields, title, testIdPrefix }: { fields: EntityCustomFields; title: string; testIdPrefix: string }) {
  if (fields.visible.length === 0) {
    return null;
  }
  return (
    <>
      <Divider titlePlacement="start" plain>
        {title}
      </Divider>
      {fields.visible.map((field) => (
        <CustomFieldInput key={field.key} field={field} readOnly={!writable(fields.rule(`cf.${field.key}`))} testIdPrefix={testIdPrefix} />
      ))}
    </>
  );
}

/**
 * The visible custom values as `Descriptions.Item`s (test ids `<prefix>-cf-<key>`), to place among a
 * record's other facts: antd reads a Descriptions' items from its direct children, so this returns
 * the items rather than a component wrapping them.
 */
export function useCustomDetailItems(entity: CustomizableEntity, testIdPrefix: string): (custom: Record<string, unknown>) => ReactNode[] {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const { visible } = useEntityCustomFields(entity);
  const currency = me.workspace.currency;
  const language = i18n.language;
  return useCallback(
    (custom: Record<string, unknown>) =>
      visible.map((field) => (
        <Descriptions.Item key={`cf.${field.key}`} label={field.label}>
          <span data-testid={`${testIdPrefix}-cf-${field.key}`}>{renderCustomValue(field, custom[field.key] as CustomValue | undefined, { t, picklist: () => null, currency, language })}</span>
        </Descriptions.Item>
      )),
    [visible, testIdPrefix, t, currency, language],
  );
}

/** Shows the server's `custom.<key>` errors (a unique value taken, a required one missing) under their controls. */
export function applyCustomFieldErrors<T>(form: FormInstance<T>, error: unknown): boolean {
  if (!(error instanceof ApiError)) {
    return false;
  }
  const entries = customFieldErrors(error.errors);
  if (entries.length === 0) {
    return false;
  }
  form.setFields(entries.map((entry) => ({ name: entry.name as never, errors: entry.errors })));
  return true;
}
