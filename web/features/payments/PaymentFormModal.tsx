import { DatePicker, Form, Input, Modal, Select } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { usePicklist } from "../picklists/picklists-api";
import { type PaymentPlan, useCreatePayment } from "./payments-api";

interface Values {
  amount: string;
  paidOn: Dayjs;
  method: string;
  planId?: string | null;
  remark?: string;
}

/** 登记回款: records a payment on a contract; it goes to approval (or is approved at once without a flow). */
export function PaymentFormModal({ contractId, plans, available, onClose }: { contractId: string; plans: PaymentPlan[]; available: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreatePayment();
  const methods = usePicklist("payment.method").filter((o) => o.active);
  const [form] = Form.useForm<Values>();
  const openPlans = plans.filter((p) => p.status !== "paid");
  const firstMethod = methods[0]?.value;
  // The options may arrive after the form opened: preselect the first one then.
  useEffect(() => {
    if (firstMethod && !form.getFieldValue("method")) {
      form.setFieldValue("method", firstMethod);
    }
  }, [firstMethod, form]);

  const submit = async (values: Values) => {
    try {
      const payment = await create.mutateAsync({
        contractId,
        amount: values.amount.trim(),
        paidOn: values.paidOn.format("YYYY-MM-DD"),
        method: values.method,
        planId: values.planId ?? null,
        remark: values.remark?.trim() || null,
      });
      notify.success(t(payment.status === "approved" ? "payments.recordedApproved" : "payments.recordedPending"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t("payments.record")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("payments.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: create.isPending, ...testId("payment-form-submit") }}
      data-testid="payment-form"
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ paidOn: dayjs(), method: methods[0]?.value }}>
        <Form.Item
          name="amount"
          label={t("payments.amount")}
          extra={available !== null ? t("payments.availableHint", { available }) : undefined}
          rules={[{ required: true, pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t("payments.amountInvalid") }]}
        >
          <Input inputMode="decimal" data-testid="payment-form-amount" />
        </Form.Item>
        <Form.Item name="paidOn" label={t("payments.paidOn")} rules={[{ required: true }]}>
          <DatePicker style={{ width: "100%" }} data-testid="payment-form-date" />
        </Form.Item>
        <Form.Item name="method" label={t("payments.method")} rules={[{ required: true }]}>
          <Select options={methods.map((o) => ({ value: o.value, label: o.label }))} data-testid="payment-form-method" />
        </Form.Item>
        {openPlans.length > 0 ? (
          <Form.Item name="planId" label={t("payments.plan")}>
            <Select
              allowClear
              options={openPlans.map((p) => ({ value: p.id, label: t("payments.planOption", { period: p.period, due: p.dueDate, outstanding: p.outstanding }) }))}
              data-testid="payment-form-plan"
            />
          </Form.Item>
        ) : null}
        <Form.Item name="remark" label={t("payments.remark")}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="payment-form-remark" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
