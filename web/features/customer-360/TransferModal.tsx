import { Checkbox, Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserSelect } from "../users/UserSelect";
import { useTransferCustomer } from "./customer-360-api";
import type { Customer } from "./customer-360-types";

interface TransferValues {
  ownerId: string | null;
  reason?: string;
  withContacts: boolean;
}

/** 转移: hands the customer (and by default its contacts) to another owner. */
export function TransferModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<TransferValues>();
  const transfer = useTransferCustomer(customer.id);

  const submit = async () => {
    let values: TransferValues;
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
      await transfer.mutateAsync({
        ownerId: values.ownerId,
        withContacts: values.withContacts,
        ...(reason ? { reason } : {}),
      });
      notify.success(t("customer360.transferred"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t("customer360.transferTitle", { name: customer.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("customer360.transfer")}
      cancelText={t("common.cancel")}
      confirmLoading={transfer.isPending}
      okButtonProps={testId("transfer-submit")}
      destroyOnHidden
    >
      <Form<TransferValues> form={form} layout="vertical" initialValues={{ ownerId: null, withContacts: true }}>
        <Form.Item name="ownerId" label={t("customer360.newOwner")} rules={[{ required: true, message: t("validation.required") }]}>
          <UserSelect excludeId={customer.ownerId ?? undefined} testId="transfer-owner" />
        </Form.Item>
        <Form.Item name="reason" label={t("customer360.transferReason")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="transfer-reason" />
        </Form.Item>
        <Form.Item name="withContacts" valuePropName="checked">
          <Checkbox data-testid="transfer-with-contacts">{t("customer360.transferWithContacts")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
