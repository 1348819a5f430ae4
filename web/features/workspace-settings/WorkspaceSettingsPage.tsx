import { Button, Card, Form, InputNumber, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { useSaveRecycleBinDays, useWorkspaceSettings } from "./workspace-settings-api";

/** 工作区设置: how long deleted customers and contacts stay in the recycle bin before they are purged. */
export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const settings = useWorkspaceSettings();
  const save = useSaveRecycleBinDays();
  const notify = useNotify();

  if (settings.isError) {
    return <LoadError onRetry={() => void settings.refetch()} />;
  }

  const submit = async (values: { recycleBinDays: number }) => {
    try {
      await save.mutateAsync(values.recycleBinDays);
      notify.success(t("common.saved"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Card title={t("workspaceSettings.title")} loading={settings.isPending} data-testid="workspace-settings-page">
      {settings.data ? (
        <Form
          layout="vertical"
          style={{ maxWidth: 480 }}
          initialValues={{ recycleBinDays: settings.data.settings.recycleBinDays }}
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
      ) : null}
    </Card>
  );
}
