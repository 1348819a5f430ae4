import { Button, Input, Modal, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { type ApprovalInstance, useDecideApproval } from "./approvals-api";

type Action = "approve" | "reject" | "withdraw";

/** Approve / reject / withdraw buttons (as `can` allows), each asking for an optional comment. */
export function ApprovalActions({ approval, onDone }: { approval: Pick<ApprovalInstance, "id" | "can">; onDone?: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const decide = useDecideApproval();
  const [action, setAction] = useState<Action | null>(null);
  const [comment, setComment] = useState("");

  const confirm = async () => {
    if (!action) {
      return;
    }
    try {
      await decide.mutateAsync({ id: approval.id, action, comment: comment.trim() === "" ? null : comment.trim() });
      notify.success(t(`approvals.done.${action}`));
      setAction(null);
      setComment("");
      onDone?.();
    } catch (error) {
      notify.error(error);
    }
  };

  const { can } = approval;
  if (!can.approve && !can.reject && !can.withdraw) {
    return null;
  }
  return (
    <>
      <Space>
        {can.approve ? (
          <Button type="primary" onClick={() => setAction("approve")} data-testid="approval-approve">
            {t("approvals.actions.approve")}
          </Button>
        ) : null}
        {can.reject ? (
          <Button danger onClick={() => setAction("reject")} data-testid="approval-reject">
            {t("approvals.actions.reject")}
          </Button>
        ) : null}
        {can.withdraw ? (
          <Button onClick={() => setAction("withdraw")} data-testid="approval-withdraw">
            {t("approvals.actions.withdraw")}
          </Button>
        ) : null}
      </Space>
      <Modal
        open={action !== null}
        title={action ? t(`approvals.actions.${action}`) : ""}
        onCancel={() => setAction(null)}
        onOk={() => void confirm()}
        confirmLoading={decide.isPending}
        okText={t("approvals.confirm")}
        okButtonProps={{ ...testId("approval-confirm"), danger: action === "reject" }}
        cancelButtonProps={testId("approval-cancel")}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t(action === "reject" ? "approvals.rejectReason" : "approvals.commentPlaceholder")}
          data-testid="approval-comment"
        />
      </Modal>
    </>
  );
}
