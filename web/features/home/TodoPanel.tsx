import { Card, Col, Row, Skeleton, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LoadError } from "../../components/StatusResults";
import { useTodo } from "./todo-api";

/** 待办: one tile per kind of waiting work; each opens the list with exactly those records. */
export function TodoPanel() {
  const { t, i18n } = useTranslation();
  const todo = useTodo();
  const items = todo.data?.data ?? [];
  return (
    <Card title={t("todo.title")} data-testid="home-todo">
      {todo.isError ? (
        <LoadError onRetry={() => void todo.refetch()} />
      ) : todo.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{t("todo.none")}</Typography.Text>
      ) : (
        <Row gutter={[16, 16]}>
          {items.map((item) => (
            <Col key={item.key} xs={12} sm={8} md={6} lg={4}>
              <Link to={item.link} data-testid={`todo-${item.key}`}>
                <Card size="small" hoverable>
                  <Statistic
                    title={t(item.labelKey, { defaultValue: item.key })}
                    value={item.countExact === false ? `${new Intl.NumberFormat(i18n.language).format(item.count)}+` : item.count}
                    valueStyle={item.count > 0 ? { color: item.key.toLowerCase().includes("overdue") ? "#cf1322" : "#1677ff" } : undefined}
                    valueRender={(node) => <span data-testid={`todo-count-${item.key}`}>{node}</span>}
                  />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
