import { Button, Flex, Result, Spin } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

export function ForbiddenResult() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t("common.forbidden")}
      data-testid="forbidden"
      extra={
        <Button type="primary" onClick={() => void navigate("/")}>
          {t("common.backHome")}
        </Button>
      }
    />
  );
}

export function NotFoundResult() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t("common.notFound")}
      data-testid="not-found"
      extra={
        <Button type="primary" onClick={() => void navigate("/")}>
          {t("common.backHome")}
        </Button>
      }
    />
  );
}

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: "60vh" }}>
      <Spin size="large" />
    </Flex>
  );
}

export function LoadError({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t("common.loadFailed")}
      extra={<Button onClick={onRetry}>{t("common.retry")}</Button>}
    />
  );
}
