import { Button, Card, Form, InputNumber, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { type WorkspaceSettings, useSaveRecycleBinDays, useWorkspaceSettings } from "./workspace-settings-api";

/** 工作区设置: how long deleted customers and contacts stay in the recycle bin before they are purged. */
export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const settings = useWorkspaceSettings();

  if (settings.isError) {
    return <LoadError onRetry={() => void settings.refetch()} />;
  }

  return (
    <Card title={t("workspaceSettings.title")} loading={settings.isPending} data-testid="workspace-settings-page">
      {settings.data ? <RecycleBinForm loaded={settings.data} /> : null}
    </Card>
  );
}

/**
 * The form keeps the version its values were loaded with, not whatever a background refetch
 * brings later: saving over another admin's change meanwhile must answer 412, not overwrite it.
 */
function RecycleBinForm({ loaded }: { loaded: WorkspaceSettings }) {
  const { t } = useTranslation();
  const save = useSaveRecycleBinDays();
  const notify = useNotify();
  const [version, setVersion] = useState(loaded.version);

  const submit = async (values: { recycleBinDays: number }) => {
    try {
      const saved = await save.mutateAsync({ recycleBinDays: values.recycleBinDays, version });
      setVersion(saved.version);
      notify.success(t("common.saved"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Form
      layout="vertical"
      style={{ maxWidth: 480 }}
      initialValues={{ recycleBinDays: loaded.settings.recycleBinDays }}
      onFinish={(values: { recycleBinDays: number }) => void submit(values)}
    >
      <Form.Item
        name="recycleBinDays"
        label={t("workspaceSettings.recycleBinDays")}
        extra={<Typography.Text type="secondary">{t("workspaceSettings.recycleBinHint")}</Typography.Text>}
        rules={[{ required: true, type: "integer", min: 1, max: 3650, message: t("workspaceSettings.recycleBinRange") }]}
      >
        <InputNumber min={1} max={3650} precision={0} addonAfter={t("workspaceSettings.days")} data-testid="workspace-recycle-days" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="workspace-settings-save">
        {t("common.save")}
      </Button>
    </Form>
  );
}
