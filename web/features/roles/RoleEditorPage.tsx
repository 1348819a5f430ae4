import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Form, Input, Space, Tabs, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { PermissionCatalog, Role } from "../../app/api-types";
import { useCan } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { FullPageSpin, LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { FieldRulesEditor } from "./FieldRulesEditor";
import { PermissionMatrix } from "./PermissionMatrix";
import {
  fieldRuleMapToList,
  fieldRulesFromRole,
  grantsFromRole,
  grantsToPermissions,
} from "./role-state";
import type { FieldRuleMap, GrantMap } from "./role-state";
import { usePermissionCatalog, useRole, useSaveRole } from "./roles-api";

interface RoleFormValues {
  name: string;
  description: string;
}

/** /settings/roles/new and /settings/roles/:id */
export function RoleEditorPage() {
  const { id } = useParams();
  const roleId = id === undefined || id === "new" ? undefined : id;
  const catalog = usePermissionCatalog();
  const role = useRole(roleId);

  if (catalog.isError || role.isError) {
    return (
      <LoadError
        onRetry={() => {
          void catalog.refetch();
          if (roleId) {
            void role.refetch();
          }
        }}
      />
    );
  }
  if (catalog.isPending || (roleId !== undefined && role.isPending)) {
    return <FullPageSpin />;
  }
  return <RoleEditor key={roleId ?? "new"} catalog={catalog.data} role={roleId ? (role.data ?? null) : null} />;
}

function RoleEditor({ catalog, role }: { catalog: PermissionCatalog; role: Role | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const notify = useNotify();
  const can = useCan();
  const [form] = Form.useForm<RoleFormValues>();
  const [grants, setGrants] = useState<GrantMap>(() => grantsFromRole(role));
  const [fieldRules, setFieldRules] = useState<FieldRuleMap>(() => fieldRulesFromRole(role));
  const save = useSaveRole();
  const readOnly = role ? !can("role:edit") : !can("role:create");

  const submit = async (values: RoleFormValues) => {
    try {
      await save.mutateAsync({
        role,
        input: {
          name: values.name.trim(),
          description: values.description.trim() === "" ? null : values.description.trim(),
          permissions: grantsToPermissions(catalog, grants),
          fieldRules: fieldRuleMapToList(catalog, fieldRules),
        },
      });
      notify.success(t("common.saved"));
      await navigate("/settings/roles");
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "description"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Card
      title={
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate("/settings/roles")}
            aria-label={t("common.back")}
            data-testid="role-back"
          />
          {role ? t("roles.editTitle", { name: role.name }) : t("roles.createTitle")}
          {role?.isSystem ? <Tag color="blue">{t("roles.system")}</Tag> : null}
        </Space>
      }
    >
      <Form<RoleFormValues>
        form={form}
        layout="vertical"
        disabled={readOnly}
        initialValues={{ name: role?.name ?? "", description: role?.description ?? "" }}
        onFinish={(values) => void submit(values)}
        style={{ maxWidth: 560 }}
      >
        <Form.Item
          name="name"
          label={t("roles.name")}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }]}
        >
          <Input data-testid="role-form-name" />
        </Form.Item>
        <Form.Item name="description" label={t("roles.description")}>
          <Input.TextArea rows={2} data-testid="role-form-description" />
        </Form.Item>
      </Form>
      <Tabs
        items={[
          {
            key: "permissions",
            label: <span data-testid="role-tab-permissions">{t("roles.permissionsTab")}</span>,
            children: <PermissionMatrix catalog={catalog} grants={grants} onChange={setGrants} readOnly={readOnly} />,
          },
          {
            key: "fields",
            label: <span data-testid="role-tab-fields">{t("roles.fieldsTab")}</span>,
            children: (
              <FieldRulesEditor catalog={catalog} rules={fieldRules} onChange={setFieldRules} readOnly={readOnly} />
            ),
          },
        ]}
      />
      <Flex justify="flex-end" gap={8} style={{ marginTop: 24 }}>
        <Button onClick={() => void navigate("/settings/roles")} data-testid="role-cancel">
          {t("common.cancel")}
        </Button>
        {readOnly ? null : (
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="role-save">
            {t("common.save")}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
