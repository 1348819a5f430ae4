import { Card, Col, Empty, Flex, Progress, Row, Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { type Figure, type SummaryItem, useTargetSummary } from "./targets-api";

function FigureLine({ label, figure, testId }: { label: string; figure: Figure; testId: string }) {
  const { t } = useTranslation();
  const percent = figure.percent;
  return (
    <Flex vertical gap={2} data-testid={testId}>
      <Flex justify="space-between">
        <Typography.Text type="secondary">{label}</Typography.Text>
        <Typography.Text strong data-testid={`${testId}-percent`}>
          {percent === null ? t("targets.noTarget") : `${percent}%`}
        </Typography.Text>
      </Flex>
      <Progress percent={Math.min(100, percent ?? 0)} showInfo={false} status={percent !== null && percent >= 100 ? "success" : "active"} size="small" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("targets.actualOfTarget", { actual: figure.actual, target: figure.target })}
      </Typography.Text>
    </Flex>
  );
}

function SubjectCard({ item }: { item: SummaryItem }) {
  const { t } = useTranslation();
  const id = `target-widget-${item.scope}-${item.kind}`;
  return (
    <Card size="small" title={`${t(`targets.scope.${item.scope}`)} · ${t(`targets.kind.${item.kind}`)}`} data-testid={id}>
      <Flex vertical gap={12}>
        <FigureLine label={t("targets.thisMonth")} figure={item.month} testId={`${id}-month`} />
        <FigureLine label={t("targets.thisYear")} figure={item.year} testId={`${id}-year`} />
      </Flex>
    </Card>
  );
}

/** 业绩目标 on the home page: my (and my department's) achievement this month and this year. */
export function TargetsWidget() {
  const { t } = useTranslation();
  const can = useCan();
  const summary = useTargetSummary();
  const items = summary.data?.items ?? [];
  return (
    <Card
      title={t("targets.widgetTitle")}
      data-testid="home-targets"
      extra={can("target:view") ? <Link to="/targets" data-testid="home-targets-open">{t("targets.open")}</Link> : null}
    >
      {summary.isError ? (
        <LoadError onRetry={() => void summary.refetch()} />
      ) : summary.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t("targets.widgetEmpty")} />
      ) : (
        <Row gutter={[16, 16]}>
          {items.map((item) => (
            <Col key={`${item.scope}-${item.kind}`} xs={24} md={12} xl={6}>
              <SubjectCard item={item} />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
