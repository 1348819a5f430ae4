import { Card, Empty, Flex, Space, Steps, Tag, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { ApprovalActions } from "./ApprovalActions";
import { instanceStatusColor } from "./approval-format";
import type { ApprovalInstance } from "./approvals-api";

const stepStatus: Record<string, "wait" | "process" | "finish" | "error"> = {
  waiting: "wait",
  active: "process",
  approved: "finish",
  skipped: "finish",
  rejected: "error",
  closed: "wait",
};

/** An approval's steps (who, 会签/或签, their decisions), its history with comments and the caller's actions. */
export function ApprovalProgress({ approval, onDone }: { approval: ApprovalInstance | null; onDone?: () => void }) {
  const { t } = useTranslation();
  if (!approval) {
    return (
      <Card title={t("approvals.progress")} data-testid="approval-progress">
        <Empty description={t("approvals.notSubmitted")} />
      </Card>
    );
  }
  return (
    <Card
      title={
        <Space>
          {t("approvals.progress")}
          <Tag color={instanceStatusColor[approval.status]} data-testid="approval-status">
            {t(`approvals.status.${approval.status}`)}
          </Tag>
          {approval.flowName ? <Typography.Text type="secondary">{approval.flowName}</Typography.Text> : null}
        </Space>
      }
      extra={<ApprovalActions approval={approval} onDone={onDone} />}
      data-testid="approval-progress"
    >
      {approval.steps.length > 0 ? (
        <Steps
          orientation="vertical"
          size="small"
          items={approval.steps.map((step) => ({
            status: stepStatus[step.state] ?? "wait",
            title: (
              <Space>
                {step.name}
                <Tag>{t(`approvals.mode.${step.mode}`)}</Tag>
                {step.state === "skipped" ? <Tag>{t("approvals.stepSkipped")}</Tag> : null}
              </Space>
            ),
            description: (
              <Flex vertical gap={2} data-testid={`approval-step-${step.index}`}>
                {step.tasks.map((task) => (
                  <Typography.Text key={task.id} type={task.status === "closed" ? "secondary" : undefined}>
                    {task.approver.name ?? task.approver.id.slice(0, 8)} · {t(`approvals.taskStatus.${task.status}`)}
                    {task.comment ? ` · “${task.comment}”` : ""}
                  </Typography.Text>
                ))}
              </Flex>
            ),
          }))}
        />
      ) : null}
      <Typography.Title level={5}>{t("approvals.history")}</Typography.Title>
      <Timeline
        data-testid="approval-history"
        items={approval.history.map((h) => ({
          key: h.id,
          color: h.action === "reject" ? "red" : h.action === "approve" || h.action === "auto_approve" ? "green" : "blue",
          content: (
            <Flex vertical>
              <Typography.Text>
                {h.actor?.name ?? t("approvals.system")} · {t(`approvals.action.${h.action}`, { defaultValue: h.action })}
                {h.stepName ? ` · ${h.stepName}` : ""}
              </Typography.Text>
              {h.comment ? <Typography.Text type="secondary">“{h.comment}”</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(h.createdAt)}
              </Typography.Text>
            </Flex>
          ),
        }))}
      />
    </Card>
  );
}
