import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Popconfirm, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiKey, CreatedApiKey } from "../../app/api-types";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useApiKeys, useRevokeApiKey } from "./api-keys-api";
import { ApiKeySecretModal } from "./ApiKeySecretModal";
import { CreateApiKeyModal } from "./CreateApiKeyModal";

export function ApiKeysPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const revokeKey = async (key: ApiKey) => {
    try {
      await revoke.mutateAsync(key.id);
      notify.success(t("apiKeys.revoked"));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<ApiKey> = [
    { title: t("apiKeys.name"), dataIndex: "name", render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t("apiKeys.role"), dataIndex: "roleName" },
    {
      title: t("apiKeys.prefix"),
      dataIndex: "prefix",
      render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
    },
    { title: t("apiKeys.created"), dataIndex: "createdAt", render: (value: string) => formatDateTime(value) },
    { title: t("apiKeys.createdBy"), dataIndex: "createdByName", render: (value: string | null) => value ?? "—" },
    { title: t("apiKeys.lastUsed"), dataIndex: "lastUsedAt", render: (value: string | null) => formatDateTime(value) },
    {
      title: t("apiKeys.status"),
      key: "status",
      render: (_value, key) =>
        key.revokedAt ? (
          <Tag data-testid="api-key-status">{t("apiKeys.statusRevoked")}</Tag>
        ) : (
          <Tag color="green" data-testid="api-key-status">
            {t("apiKeys.statusActive")}
          </Tag>
        ),
    },
  ];
  if (can("apiKey:delete")) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      render: (_value, key) =>
        key.revokedAt ? null : (
          <Popconfirm
            title={t("apiKeys.confirmRevoke", { name: key.name })}
            okText={t("apiKeys.revoke")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, ...testId("confirm-ok") }}
            onConfirm={() => revokeKey(key)}
            destroyOnHidden
          >
            <Button type="link" size="small" danger data-testid="api-key-revoke">
              {t("apiKeys.revoke")}
            </Button>
          </Popconfirm>
        ),
    });
  }

  return (
    <Card
      title={t("nav.apiKeys")}
      extra={
        can("apiKey:create") ? (
          <Button type="primary" icon={<PlusOutlined />} data-testid="api-keys-create" onClick={() => setCreating(true)}>
            {t("apiKeys.create")}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t("apiKeys.intro")}</Typography.Paragraph>
      {keys.isError ? (
        <LoadError onRetry={() => void keys.refetch()} />
      ) : (
        <Table<ApiKey>
          rowKey="id"
          columns={columns}
          dataSource={keys.data ?? []}
          loading={keys.isPending}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="api-keys-table"
        />
      )}
      {creating ? (
        <CreateApiKeyModal
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
          }}
        />
      ) : null}
      {created ? <ApiKeySecretModal apiKey={created} onClose={() => setCreated(null)} /> : null}
    </Card>
  );
}
