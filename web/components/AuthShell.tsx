import { Card, Flex, Layout, Typography, theme } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./LanguageSwitch";

/** Centered card used by the login and first-run setup pages. */
export function AuthShell({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Layout style={{ minHeight: "100vh", background: token.colorBgLayout }}>
      <Flex justify="space-between" align="center" style={{ padding: "12px 24px" }}>
        <Typography.Title level={4} style={{ margin: 0, color: token.colorPrimary }} data-testid="app-title">
          {t("app.name")}
        </Typography.Title>
        <LanguageSwitch />
      </Flex>
      <Flex justify="center" align="flex-start" style={{ flex: 1, padding: "6vh 16px" }}>
        <Card style={{ width: "100%", maxWidth: 440 }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {title}
          </Typography.Title>
          {subtitle ? <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph> : null}
          {children}
        </Card>
      </Flex>
    </Layout>
  );
}
