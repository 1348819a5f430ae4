import { Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserSelect } from "../users/UserSelect";
import { useAssign } from "./pools-api";
import { useBulkReport } from "./use-bulk-report";

interface AssignValues {
  ownerId: string | null;
  reason?: string;
}

/** 分配: a pool admin or manager gives pool customers to someone. */
export function AssignPoolModal({ poolId, customerIds, onClose, onDone }: { poolId: string; customerIds: string[]; onClose: () => void; onDone: (done: string[]) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const report = useBulkReport();
  const [form] = Form.useForm<AssignValues>();
  const assign = useAssign(poolId);

  const submit = async () => {
    let values: AssignValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!values.ownerId) {
      return;
    }
    try {
      const reason = values.reason?.trim();
      const result = await assign.mutateAsync({ customerIds, ownerId: values.ownerId, ...(reason ? { reason } : {}) });
      report(result, "pools.assigned");
      onDone(result.done);
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t("pools.assignTitle", { count: customerIds.length })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("pools.assign")}
      cancelText={t("common.cancel")}
      confirmLoading={assign.isPending}
      okButtonProps={testId("pool-assign-confirm")}
      destroyOnHidden
    >
      <Form<AssignValues> form={form} layout="vertical" initialValues={{ ownerId: null }}>
        <Form.Item name="ownerId" label={t("pools.assignTo")} rules={[{ required: true, message: t("validation.required") }]}>
          <UserSelect testId="pool-assign-owner" />
        </Form.Item>
        <Form.Item name="reason" label={t("pools.reason")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="pool-assign-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
