import { Card, Descriptions, Flex, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { TargetsWidget } from "../targets/TargetsWidget";
import { TodoPanel } from "./TodoPanel";

export function HomePage() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <Flex vertical gap={24}>
      <Card data-testid="home-welcome">
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="home-welcome-title">
          {t("home.welcome", { name: me.user.name })}
        </Typography.Title>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t("home.workspace")}>
            <span data-testid="home-workspace">{me.workspace.name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("home.roles")}>
            <span data-testid="home-roles">
              {me.user.roleNames.length > 0
                ? me.user.roleNames.map((name) => <Tag key={name}>{name}</Tag>)
                : t("home.noRoles")}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <TodoPanel />
      <TargetsWidget />
    </Flex>
  );
}
