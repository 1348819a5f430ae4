import { Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api";
import { useSession } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { confirmPasswordRules, MIN_PASSWORD_LENGTH, newPasswordRules } from "../../components/password-rules";
import { useNotify } from "../../components/use-notify";

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordCard() {
  const { t } = useTranslation();
  const me = useSession();
  const notify = useNotify();
  const [form] = Form.useForm<PasswordValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: PasswordValues) => {
    setSaving(true);
    try {
      await api.post("/auth/password", {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      notify.success(t("profile.passwordChanged"));
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["currentPassword", "newPassword"], { password: "newPassword" })) {
        notify.error(error);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t("profile.changePassword")}>
      <Form<PasswordValues> form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="currentPassword"
          label={t("profile.currentPassword")}
          rules={[{ required: true, message: t("validation.required") }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t("profile.newPassword")}
          extra={t("validation.passwordPolicy", { min: MIN_PASSWORD_LENGTH })}
          rules={newPasswordRules(t, undefined, me.user.email)}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t("auth.confirmPassword")}
          dependencies={["newPassword"]}
          rules={confirmPasswordRules(t, "newPassword")}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="password-submit">
          {t("profile.changePassword")}
        </Button>
      </Form>
    </Card>
  );
}
