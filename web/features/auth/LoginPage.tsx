import { LockOutlined, MailOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ApiError } from "../../app/api";
import { useMeQuery } from "../../app/session";
import { AuthShell } from "../../components/AuthShell";
import { errorText } from "../../components/error-text";
import { FullPageSpin } from "../../components/StatusResults";
import { login, useStartSession } from "./auth-api";
import type { LoginInput } from "./auth-api";

function redirectTarget(state: unknown): string {
  if (typeof state === "object" && state !== null && "from" in state) {
    const from = state.from;
    if (typeof from === "string" && from.startsWith("/") && !from.startsWith("/login")) {
      return from;
    }
  }
  return "/";
}

export function LoginPage() {
  const { t } = useTranslation();
  const me = useMeQuery();
  const location = useLocation();
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (me.isPending) {
    return <FullPageSpin />;
  }
  if (me.data) {
    return <Navigate to={redirectTarget(location.state)} replace />;
  }

  const submit = async (values: LoginInput) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values);
      await startSession();
      await navigate(redirectTarget(location.state), { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 429 && !caught.detail && caught.retryAfter !== null) {
        setError(t("auth.lockedFor", { minutes: Math.max(1, Math.ceil(caught.retryAfter / 60)) }));
      } else {
        setError(errorText(caught, t));
      }
      setSubmitting(false);
    }
  };

  return (
    <AuthShell title={t("auth.signInTitle")}>
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
      ) : null}
      <Form<LoginInput> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
        <Form.Item
          name="email"
          label={t("auth.email")}
          rules={[
            { required: true, message: t("validation.required") },
            { type: "email", message: t("validation.email") },
          ]}
        >
          <Input prefix={<MailOutlined />} autoComplete="username" data-testid="login-email" />
        </Form.Item>
        <Form.Item name="password" label={t("auth.password")} rules={[{ required: true, message: t("validation.required") }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
          {t("auth.signIn")}
        </Button>
      </Form>
    </AuthShell>
  );
}
