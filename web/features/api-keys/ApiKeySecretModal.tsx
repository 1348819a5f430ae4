import { CopyOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import type { CreatedApiKey } from "../../app/api-types";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";

/** Shows a new key's secret — the only time the server ever returns it. */
export function ApiKeySecretModal({ apiKey, onClose }: { apiKey: CreatedApiKey; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.secret);
      notify.success(t("apiKeys.copied"));
    } catch {
      notify.failure(t("apiKeys.copyFailed"));
    }
  };

  return (
    <Modal
      open
      title={t("apiKeys.secretTitle", { name: apiKey.name })}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="api-key-secret-close">
          {t("apiKeys.secretDone")}
        </Button>
      }
      closeIcon={null}
      {...testId("api-key-secret-modal")}
    >
      <Flex vertical gap={16}>
        <Alert type="warning" showIcon title={t("apiKeys.secretWarning")} />
        <Flex gap={8}>
          <Input readOnly value={apiKey.secret} data-testid="api-key-secret" style={{ fontFamily: "monospace" }} />
          <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="api-key-secret-copy">
            {t("apiKeys.copy")}
          </Button>
        </Flex>
      </Flex>
    </Modal>
  );
}
