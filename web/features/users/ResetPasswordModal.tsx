import { Form, Input, Modal, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { User } from "../../app/api-types";
import { applyServerFieldErrors } from "../../components/form-errors";
import { confirmPasswordRules, MIN_PASSWORD_LENGTH, newPasswordRules } from "../../components/password-rules";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useResetPassword } from "./users-api";

interface ResetValues {
  password: string;
  confirmPassword: string;
}

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<ResetValues>();
  const reset = useResetPassword();

  const submit = async () => {
    let values: ResetValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      await reset.mutateAsync({ id: user.id, password: values.password });
      notify.success(t("users.passwordReset"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["password"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      title={t("users.resetPasswordTitle")}
      okText={t("users.resetPassword")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      okButtonProps={testId("reset-password-submit")}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("users.resetPasswordHint", { name: user.name })}</Typography.Paragraph>
      <Form<ResetValues> form={form} layout="vertical">
        <Form.Item
          name="password"
          label={t("profile.newPassword")}
          extra={t("validation.passwordPolicy", { min: MIN_PASSWORD_LENGTH })}
          rules={newPasswordRules(t, undefined, user.email)}
        >
          <Input.Password data-testid="reset-password-input" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t("auth.confirmPassword")}
          dependencies={["password"]}
          rules={confirmPasswordRules(t, "password")}
        >
          <Input.Password data-testid="reset-password-confirm" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
