import { Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import type { CreatedApiKey } from "../../app/api-types";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { RoleSelect } from "../roles/RoleSelect";
import { useCreateApiKey } from "./api-keys-api";

interface CreateValues {
  name: string;
  roleId: string;
}

export function CreateApiKeyModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateApiKey();

  const submit = async () => {
    let values: CreateValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const key = await create.mutateAsync({ name: values.name.trim(), roleId: values.roleId });
      onCreated(key);
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "roleId"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      title={t("apiKeys.createTitle")}
      okText={t("apiKeys.create")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={testId("api-key-form-submit")}
      destroyOnHidden
    >
      <Form<CreateValues> form={form} layout="vertical">
        <Form.Item
          name="name"
          label={t("apiKeys.name")}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }]}
        >
          <Input data-testid="api-key-form-name" placeholder={t("apiKeys.namePlaceholder")} />
        </Form.Item>
        <Form.Item
          name="roleId"
          label={t("apiKeys.role")}
          extra={t("apiKeys.roleHint")}
          rules={[{ required: true, message: t("validation.required") }]}
        >
          <RoleSelect testId="api-key-form-role" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
