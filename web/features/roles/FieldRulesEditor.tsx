import { Card, Checkbox, Flex, Radio, Table, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { CatalogEntity, FieldAccess, PermissionCatalog } from "../../app/api-types";
import { fieldKey } from "./role-state";
import type { FieldRuleMap } from "./role-state";

const ACCESS_LEVELS: readonly FieldAccess[] = ["hidden", "read", "edit"];

export interface FieldRulesEditorProps {
  catalog: PermissionCatalog;
  rules: FieldRuleMap;
  onChange: (rules: FieldRuleMap) => void;
  readOnly: boolean;
}

interface FieldRow {
  key: string;
  maskable: boolean;
  /** Custom fields (cf.<key>) come with their own label. */
  label?: string;
}

/** Per entity and field: hidden / read-only / editable, plus masking for sensitive fields. */
export function FieldRulesEditor({ catalog, rules, onChange, readOnly }: FieldRulesEditorProps) {
  const { t } = useTranslation();
  const entities = catalog.entities.filter((entity) => entity.fields.length > 0);

  const update = (key: string, patch: Partial<{ access: FieldAccess; masked: boolean }>) => {
    const current = rules[key] ?? { access: "edit" as FieldAccess, masked: false };
    onChange({ ...rules, [key]: { ...current, ...patch } });
  };

  const columnsFor = (entity: CatalogEntity): TableColumnsType<FieldRow> => [
    {
      title: t("roles.field"),
      key: "field",
      width: 200,
      render: (_value, field) => field.label ?? t(`field.${entity.key}.${field.key}`),
    },
    {
      title: t("roles.access"),
      key: "access",
      render: (_value, field) => {
        const key = fieldKey(entity.key, field.key);
        return (
          <Radio.Group
            optionType="button"
            size="small"
            disabled={readOnly}
            value={rules[key]?.access ?? "edit"}
            onChange={(event) => update(key, { access: event.target.value as FieldAccess })}
            data-testid={`field-${entity.key}-${field.key}-access`}
            options={ACCESS_LEVELS.map((access) => ({
              value: access,
              label: <span data-testid={`field-${entity.key}-${field.key}-${access}`}>{t(`roles.accessLevel.${access}`)}</span>,
            }))}
          />
        );
      },
    },
    {
      title: t("roles.masked"),
      key: "masked",
      width: 120,
      render: (_value, field) => {
        if (!field.maskable) {
          return <Typography.Text type="secondary">—</Typography.Text>;
        }
        const key = fieldKey(entity.key, field.key);
        const rule = rules[key];
        return (
          <Checkbox
            checked={rule?.masked ?? false}
            disabled={readOnly || rule?.access === "hidden"}
            onChange={(event) => update(key, { masked: event.target.checked })}
            data-testid={`field-${entity.key}-${field.key}-masked`}
          />
        );
      },
    },
  ];

  if (entities.length === 0) {
    return <Typography.Text type="secondary">{t("roles.noFields")}</Typography.Text>;
  }

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">{t("roles.fieldHint")}</Typography.Text>
      {entities.map((entity) => (
        <Card key={entity.key} size="small" title={t(`entity.${entity.key}`)} data-testid={`field-rules-${entity.key}`}>
          <Table<FieldRow>
            rowKey="key"
            size="small"
            pagination={false}
            columns={columnsFor(entity)}
            dataSource={entity.fields}
          />
        </Card>
      ))}
    </Flex>
  );
}
