import { Form, Input, Modal } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import type { ClosedStatus } from "./deals-types";

interface CloseDealModalProps {
  status: ClosedStatus | null;
  dealName: string;
  pending: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}

/** Asks for the reason of 输单 lost / 无效 invalid (required), or an optional note on 赢单 won. */
export function CloseDealModal({ status, dealName, pending, onCancel, onConfirm }: CloseDealModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (status) {
      form.resetFields();
    }
  }, [status, form]);
  return (
    <Modal
      open={status !== null}
      title={status ? t(`deals.close.title.${status}`, { name: dealName }) : ""}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((v) => onConfirm(v.reason ?? ""))}
      confirmLoading={pending}
      okButtonProps={testId("close-confirm")}
      cancelButtonProps={testId("close-cancel")}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t("deals.close.reason")} rules={status !== "won" ? [{ required: true, whitespace: true, message: t("deals.close.reasonRequired") }] : []}>
          <Input.TextArea rows={3} maxLength={500} data-testid="close-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
