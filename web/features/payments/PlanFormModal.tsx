import { DatePicker, Form, Input, InputNumber, Modal } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { type PaymentPlan, useSavePlan } from "./payments-api";

interface Values {
  period?: number | null;
  amount: string;
  dueDate: Dayjs;
  remindDays: number;
  remark?: string;
}

/** 回款计划: adds or edits one instalment of a contract. */
export function PlanFormModal({ contractId, plan, onClose }: { contractId: string; plan: PaymentPlan | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSavePlan();
  const [form] = Form.useForm<Values>();

  const submit = async (values: Values) => {
    try {
      await save.mutateAsync({
        id: plan?.id ?? null,
        version: plan?.version,
        input: {
          contractId,
          ...(values.period ? { period: values.period } : {}),
          amount: values.amount.trim(),
          dueDate: values.dueDate.format("YYYY-MM-DD"),
          remindDays: values.remindDays,
          remark: values.remark?.trim() || null,
        },
      });
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={plan ? t("payments.editPlan") : t("payments.addPlan")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: save.isPending, ...testId("plan-form-submit") }}
      data-testid="plan-form"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={
          plan
            ? { period: plan.period, amount: plan.amount, dueDate: dayjs(plan.dueDate), remindDays: plan.remindDays, remark: plan.remark ?? "" }
            : { remindDays: 3, dueDate: dayjs().add(1, "month") }
        }
      >
        <Form.Item name="period" label={t("payments.period")} extra={plan ? undefined : t("payments.periodHint")}>
          <InputNumber min={1} max={1000} style={{ width: "100%" }} data-testid="plan-form-period" />
        </Form.Item>
        <Form.Item name="amount" label={t("payments.planAmount")} rules={[{ required: true, pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t("payments.amountInvalid") }]}>
          <Input inputMode="decimal" data-testid="plan-form-amount" />
        </Form.Item>
        <Form.Item name="dueDate" label={t("payments.dueDate")} rules={[{ required: true }]}>
          <DatePicker style={{ width: "100%" }} data-testid="plan-form-due" />
        </Form.Item>
        <Form.Item name="remindDays" label={t("payments.remindDays")} rules={[{ required: true }]}>
          <InputNumber min={0} max={365} style={{ width: "100%" }} data-testid="plan-form-remind" />
        </Form.Item>
        <Form.Item name="remark" label={t("payments.remark")}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="plan-form-remark" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
