import { Checkbox, Flex, Select, Table, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { CatalogEntity, PermissionCatalog, Scope } from "../../app/api-types";
import { DEFAULT_SCOPE, grantKey, MATRIX_ACTIONS } from "./role-state";
import type { GrantMap } from "./role-state";

export interface PermissionMatrixProps {
  catalog: PermissionCatalog;
  grants: GrantMap;
  onChange: (grants: GrantMap) => void;
  readOnly: boolean;
}

/** Rows = entities, columns = actions; a ticked scoped cell gets a data-scope picker. */
export function PermissionMatrix({ catalog, grants, onChange, readOnly }: PermissionMatrixProps) {
  const { t } = useTranslation();
  const scopeOptions = catalog.scopes.map((scope) => ({
    value: scope,
    label: <span data-testid={`scope-option-${scope}`}>{t(`scope.${scope}`)}</span>,
    title: t(`scope.${scope}`),
    searchText: `${scope} ${t(`scope.${scope}`)}`,
  }));

  const setGrant = (key: string, scope: Scope | undefined) => {
    onChange({ ...grants, [key]: scope });
  };

  const toggleRow = (entity: CatalogEntity, checked: boolean) => {
    const next = { ...grants };
    for (const action of entity.actions) {
      const key = grantKey(entity.key, action);
      next[key] = checked ? (next[key] ?? (entity.scoped ? DEFAULT_SCOPE : "all")) : undefined;
    }
    onChange(next);
  };

  const columns: TableColumnsType<CatalogEntity> = [
    {
      title: t("roles.entity"),
      key: "entity",
      fixed: "left",
      width: 150,
      render: (_value, entity) => {
        const granted = entity.actions.filter((action) => grants[grantKey(entity.key, action)] !== undefined);
        return (
          <Checkbox
            checked={granted.length === entity.actions.length && granted.length > 0}
            indeterminate={granted.length > 0 && granted.length < entity.actions.length}
            onChange={(event) => toggleRow(entity, event.target.checked)}
            disabled={readOnly}
            data-testid={`perm-row-${entity.key}`}
          >
            <Typography.Text strong>{t(`entity.${entity.key}`)}</Typography.Text>
          </Checkbox>
        );
      },
    },
    ...MATRIX_ACTIONS.map((action) => ({
      title: t(`action.${action}`),
      key: action,
      width: 180,
      render: (_value: unknown, entity: CatalogEntity) => {
        if (!entity.actions.includes(action)) {
          return <Typography.Text type="secondary">—</Typography.Text>;
        }
        const key = grantKey(entity.key, action);
        const scope = grants[key];
        return (
          <Flex vertical gap={4} align="flex-start">
            <Checkbox
              checked={scope !== undefined}
              disabled={readOnly}
              onChange={(event) => setGrant(key, event.target.checked ? (entity.scoped ? DEFAULT_SCOPE : "all") : undefined)}
              data-testid={`perm-${entity.key}-${action}`}
              aria-label={`${t(`entity.${entity.key}`)} ${t(`action.${action}`)}`}
            />
            {scope !== undefined && entity.scoped ? (
              <Select<Scope>
                size="small"
                value={scope}
                disabled={readOnly}
                onChange={(next) => setGrant(key, next)}
                options={scopeOptions}
                showSearch={{ optionFilterProp: "searchText" }}
                optionLabelProp="title"
                popupMatchSelectWidth={false}
                style={{ width: 164 }}
                data-testid={`perm-scope-${entity.key}-${action}`}
              />
            ) : null}
          </Flex>
        );
      },
    })),
  ];

  return (
    <Table<CatalogEntity>
      rowKey="key"
      columns={columns}
      dataSource={catalog.entities}
      pagination={false}
      size="small"
      bordered
      scroll={{ x: "max-content" }}
      data-testid="permission-matrix"
    />
  );
}
