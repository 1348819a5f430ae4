import { DatePicker, Form, Input, Modal, Select, Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { usePicklist } from "../picklists/picklists-api";
import { useContractOptions, useCreatePayment, usePaymentSummary, usePlans } from "./payments-api";

interface Values {
  contractId?: string;
  amount: string;
  paidOn: Dayjs;
  method: string;
  planId?: string | null;
  remark?: string;
}

/** Approved contracts matching what was typed (number or name), optionally of one customer. */
function ContractPicker({ value, onChange, customerId }: { value?: string; onChange?: (v: string) => void; customerId?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const contracts = useContractOptions(useDebouncedValue(search), customerId);
  const options = useMemo(
    () =>
      (contracts.data?.data ?? []).map((c) => ({
        value: c.id,
        label: `${c.number} · ${c.name}${customerId ? "" : ` · ${c.customerName ?? ""}`}`,
      })),
    [contracts.data, customerId],
  );
  return (
    <Select
      value={value}
      onChange={onChange}
      options={options}
      loading={contracts.isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t("payments.pickContract")}
      notFoundContent={contracts.isFetching ? undefined : t("payments.noContracts")}
      data-testid="payment-form-contract"
    />
  );
}

/**
 * 登记回款: records a payment on an approved contract — the given one (contract page) or one picked
 * here (payments page, a customer's 360° page) — optionally against one of its open instalments.
 * The API submits it for approval at once (approved at once when no payment flow is configured).
 */
export function PaymentFormModal({ contractId: fixedContractId, customerId, onClose }: { contractId?: string; customerId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreatePayment();
  const methods = usePicklist("payment.method").filter((o) => o.active);
  const [form] = Form.useForm<Values>();
  const picked = Form.useWatch("contractId", form);
  const contractId = fixedContractId ?? picked ?? "";
  const plans = usePlans({ contractId }, contractId !== "");
  const summary = usePaymentSummary(contractId, contractId !== "");
  const openPlans = (plans.data?.pages.flatMap((p) => p.data) ?? []).filter((p) => p.status !== "paid");
  const available = contractId && summary.data ? summary.data.available : null;
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
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        // A plan belongs to one contract: picking another contract clears it.
        onValuesChange={(changed: Partial<Values>) => {
          if ("contractId" in changed) {
            form.setFieldValue("planId", null);
          }
        }}
        initialValues={{ paidOn: dayjs(), method: methods[0]?.value }}
      >
        {fixedContractId ? null : (
          <Form.Item name="contractId" label={t("payments.contract")} rules={[{ required: true, message: t("payments.pickContract") }]}>
            <ContractPicker customerId={customerId} />
          </Form.Item>
        )}
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
        <Typography.Text type="secondary">{t("payments.approvalHint")}</Typography.Text>
      </Form>
    </Modal>
  );
}
