import { Button, Form, Input } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, setCsrfToken } from "../../app/api";
import type { User, Workspace } from "../../app/api-types";
import { currentLanguage } from "../../app/i18n";
import { setupQueryKey } from "../../app/session";
import { AuthShell } from "../../components/AuthShell";
import { applyServerFieldErrors } from "../../components/form-errors";
import { confirmPasswordRules, MIN_PASSWORD_LENGTH, newPasswordRules } from "../../components/password-rules";
import { useNotify } from "../../components/use-notify";
import { useStartSession } from "../auth/auth-api";

interface SetupValues {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  confirmPassword: string;
}

const SETUP_FIELDS = ["workspaceName", "name", "email", "password"] as const;

export function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SetupValues>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notify = useNotify();
  const startSession = useStartSession();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: SetupValues) => {
    setSubmitting(true);
    try {
      const result = await api.post<{ user: User; workspace: Workspace; csrfToken: string }>("/setup", {
        workspaceName: values.workspaceName.trim(),
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        locale: currentLanguage(),
      });
      setCsrfToken(result.csrfToken);
      await startSession();
      queryClient.setQueryData(setupQueryKey, { needsSetup: false });
      notify.success(t("setup.done"));
      await navigate("/", { replace: true });
    } catch (error) {
      if (!applyServerFieldErrors(form, error, SETUP_FIELDS)) {
        notify.error(error);
      }
      setSubmitting(false);
    }
  };

  const required = { required: true, whitespace: true, message: t("validation.required") };

  return (
    <AuthShell title={t("setup.title")} subtitle={t("setup.subtitle")}>
      <Form<SetupValues> form={form} layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
        <Form.Item name="workspaceName" label={t("setup.workspaceName")} rules={[required]}>
          <Input data-testid="setup-workspace-name" placeholder={t("setup.workspacePlaceholder")} />
        </Form.Item>
        <Form.Item name="name" label={t("setup.yourName")} rules={[required]}>
          <Input data-testid="setup-name" autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t("auth.email")}
          rules={[required, { type: "email", message: t("validation.email") }]}
        >
          <Input data-testid="setup-email" autoComplete="username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("auth.password")}
          extra={t("validation.passwordPolicy", { min: MIN_PASSWORD_LENGTH })}
          rules={newPasswordRules(t, "email")}
        >
          <Input.Password data-testid="setup-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t("auth.confirmPassword")}
          dependencies={["password"]}
          rules={confirmPasswordRules(t, "password")}
        >
          <Input.Password data-testid="setup-password-confirm" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="setup-submit">
          {t("setup.submit")}
        </Button>
      </Form>
    </AuthShell>
  );
}
