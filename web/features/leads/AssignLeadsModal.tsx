import { Form, Input, Modal, Radio } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserPicker } from "../customers/UserPicker";
import { DepartmentTreeSelect } from "../departments/DepartmentTreeSelect";
import { useAssignLeads } from "./leads-api";

/** 分配: to one user, or round-robin over the active members of a department. */
export function AssignLeadsModal({ ids, onClose, onDone }: { ids: string[]; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const assign = useAssignLeads();
  const [mode, setMode] = useState<"user" | "roundRobin">("user");
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const ready = mode === "user" ? ownerId !== null : departmentId !== null;

  const submit = () => {
    const input = { ...(mode === "user" ? { ownerId: ownerId ?? "" } : { departmentId: departmentId ?? "" }), ...(reason.trim() ? { reason: reason.trim() } : {}) };
    assign.mutate(
      { ids, input },
      {
        onSuccess: () => {
          notify.success(t("leads.assign.done", { count: ids.length }));
          (onDone ?? onClose)();
        },
        onError: (error) => notify.error(error),
      },
    );
  };

  return (
    <Modal
      open
      title={t("leads.assign.title", { count: ids.length })}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ disabled: !ready, loading: assign.isPending, ...testId("assign-confirm") }}
      cancelButtonProps={testId("assign-cancel")}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="lead-assign-modal">
        <Form.Item>
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as "user" | "roundRobin")}
            optionType="button"
            data-testid="assign-mode"
            options={[
              { value: "user", label: <span data-testid="assign-mode-user">{t("leads.assign.toUser")}</span> },
              { value: "roundRobin", label: <span data-testid="assign-mode-round-robin">{t("leads.assign.roundRobin")}</span> },
            ]}
          />
        </Form.Item>
        {mode === "user" ? (
          <Form.Item label={t("leads.field.owner")}>
            <UserPicker value={ownerId} onChange={setOwnerId} testId="assign-user" />
          </Form.Item>
        ) : (
          <Form.Item label={t("leads.assign.department")} extra={t("leads.assign.roundRobinHint")}>
            <DepartmentTreeSelect value={departmentId} onChange={setDepartmentId} testId="assign-department" />
          </Form.Item>
        )}
        <Form.Item label={t("leads.assign.reason")}>
          <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="assign-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
