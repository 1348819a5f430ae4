import { Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { formatMoney } from "../../../common/money";
import { useNotify } from "../../components/use-notify";
import { customChanges, customFormValues } from "../custom-fields/custom-values";
import { applyCustomFieldErrors, CustomFieldsSection, useEntityCustomFields } from "../custom-fields/EntityCustomFields";
import type { FormCustomValue } from "../customers/custom-form-values";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { usePipelines } from "../pipelines/pipelines-api";
import { type LineFormValue, DealLinesEditor, linesTotal } from "./DealLinesEditor";
import { useCreateDeal, useUpdateDeal } from "./deals-api";
import { type DealDetail, type DealInput, fromMoney, toMoney } from "./deals-types";
import { CustomerSelect } from "./pickers";

interface FormValues {
  name: string;
  customerId: string | null;
  pipelineId?: string;
  stageId?: string;
  amount?: number;
  expectedCloseDate?: Dayjs | null;
  source?: string | null;
  remark?: string;
  lines?: LineFormValue[];
  custom?: Record<string, FormCustomValue>;
}

interface DealFormDrawerProps {
  open: boolean;
  /** Edit this deal; null creates one. */
  deal: DealDetail | null;
  /** Preset customer (from the customer's page). */
  customer?: { id: string; name: string } | null;
  pipelineId?: string | null;
  onClose: () => void;
  onSaved?: (deal: DealDetail) => void;
}

/** New / edit deal: customer, pipeline and stage, amount or product lines, close date, source, custom fields. */
export function DealFormDrawer({ open, deal, customer, pipelineId, onClose, onSaved }: DealFormDrawerProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateDeal();
  const update = useUpdateDeal();
  const pipelines = usePipelines(open);
  const customFields = useEntityCustomFields("deal");
  const { definitions } = customFields;
  const chosenPipeline = Form.useWatch("pipelineId", form);
  const lines = Form.useWatch<LineFormValue[] | undefined>("lines", form);
  const hasLines = (lines?.length ?? 0) > 0;
  const stages = useMemo(() => pipelines.data?.data.find((p) => p.id === chosenPipeline)?.stages ?? [], [pipelines.data, chosenPipeline]);

  useEffect(() => {
    if (!open) {
      return;
    }
    form.resetFields();
    if (deal) {
      form.setFieldsValue({
        name: deal.name,
        customerId: deal.customerId,
        amount: fromMoney(deal.amount),
        expectedCloseDate: deal.expectedCloseDate ? dayjs(deal.expectedCloseDate) : null,
        source: deal.source ?? null,
        remark: deal.remark ?? "",
        lines: (deal.lines ?? []).map((l) => ({ productId: l.productId, name: l.name, unit: l.unit, price: fromMoney(l.price), quantity: l.quantity, discountPercent: l.discountPercent })),
      });
    } else {
      form.setFieldsValue({ customerId: customer?.id ?? null });
    }
  }, [open, deal, customer, form]);

  useEffect(() => {
    // Custom controls render only once their definitions are here, so filling them then loses no typing.
    if (open) {
      form.setFieldsValue({ custom: customFormValues(definitions, deal ? deal.custom : null) });
    }
  }, [open, deal, definitions, form]);

  useEffect(() => {
    // New deals start in the chosen (or default) pipeline's first stage.
    if (!open || deal || !pipelines.data) {
      return;
    }
    const list = pipelines.data.data.filter((p) => p.active);
    const initial = list.find((p) => p.id === pipelineId) ?? list.find((p) => p.isDefault) ?? list[0];
    if (initial && !form.getFieldValue("pipelineId")) {
      form.setFieldsValue({ pipelineId: initial.id, stageId: initial.stages[0]?.id });
    }
  }, [open, deal, pipelines.data, pipelineId, form]);

  const submit = async (values: FormValues) => {
    const body: DealInput = {
      name: values.name,
      expectedCloseDate: values.expectedCloseDate ? values.expectedCloseDate.format("YYYY-MM-DD") : null,
      source: values.source ?? null,
      remark: values.remark?.trim() ? values.remark.trim() : null,
    };
    const lineInputs = (values.lines ?? []).map((l) => ({ productId: l.productId ?? null, name: l.name, unit: l.unit ?? null, price: toMoney(l.price), quantity: l.quantity ?? 1, discountPercent: l.discountPercent ?? 0 }));
    if (lineInputs.length > 0 || (deal?.lines?.length ?? 0) > 0) {
      body.lines = lineInputs;
    }
    if (lineInputs.length === 0) {
      body.amount = toMoney(values.amount);
    }
    const custom = customChanges(definitions, values.custom, deal ? deal.custom : null, customFields.rule);
    if (custom) {
      body.custom = custom;
    }
    try {
      const saved = deal
        ? await update.mutateAsync({ id: deal.id, version: deal.version, body })
        : await create.mutateAsync({ ...body, customerId: values.customerId ?? undefined, pipelineId: values.pipelineId, stageId: values.stageId });
      notify.success(deal ? t("deals.saved") : t("deals.created"));
      onSaved?.(saved);
      onClose();
    } catch (error) {
      const onFields = applyServerFieldErrors(form, error, ["name", "customerId", "pipelineId", "stageId", "amount", "expectedCloseDate", "source", "remark"]);
      if (!applyCustomFieldErrors(form, error) && !onFields) {
        notify.error(error);
      }
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={deal ? t("deals.edit") : t("deals.create")}
      destroyOnHidden
      extra={
        <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()} data-testid="deal-form-submit">
          {t("deals.save")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="deal-form">
        <Form.Item name="name" label={t("deals.field.name")} rules={[{ required: true, whitespace: true, message: t("deals.field.nameRequired") }]}>
          <Input maxLength={200} data-testid="deal-form-name" />
        </Form.Item>
        <Form.Item name="customerId" label={t("deals.field.customer")} rules={[{ required: true, message: t("deals.field.customerRequired") }]}>
          <CustomerSelect knownName={deal?.customerName ?? customer?.name ?? null} disabled={Boolean(deal) || Boolean(customer)} />
        </Form.Item>
        {deal ? null : (
          <Flex gap={12}>
            <Form.Item name="pipelineId" label={t("deals.field.pipeline")} style={{ flex: 1 }}>
              <Select
                options={(pipelines.data?.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
                onChange={(id: string) => form.setFieldsValue({ stageId: pipelines.data?.data.find((p) => p.id === id)?.stages[0]?.id })}
                data-testid="deal-form-pipeline"
              />
            </Form.Item>
            <Form.Item name="stageId" label={t("deals.field.stage")} style={{ flex: 1 }}>
              <Select options={stages.map((s) => ({ value: s.id, label: `${s.name} (${s.winProbability}%)` }))} data-testid="deal-form-stage" />
            </Form.Item>
          </Flex>
        )}
        <Flex gap={12}>
          <Form.Item name="amount" label={t("deals.field.amount")} style={{ flex: 1 }} extra={hasLines ? t("deals.field.amountFromLines", { amount: formatMoney(linesTotal(lines)) }) : undefined}>
            <InputNumber min={0} precision={2} style={{ width: "100%" }} disabled={hasLines} data-testid="deal-form-amount" />
          </Form.Item>
          <Form.Item name="expectedCloseDate" label={t("deals.field.expectedCloseDate")} style={{ flex: 1 }}>
            <DatePicker style={{ width: "100%" }} data-testid="deal-form-close-date" />
          </Form.Item>
          <Form.Item name="source" label={t("deals.field.source")} style={{ flex: 1 }}>
            <PicklistSelect list="customer.source" testId="deal-form-source" />
          </Form.Item>
        </Flex>
        <Form.Item label={t("deals.lines.title")}>
          <DealLinesEditor form={form} />
        </Form.Item>
        <CustomFieldsSection fields={customFields} title={t("deals.customSection")} testIdPrefix="deal-form" />
        <Form.Item name="remark" label={t("deals.field.remark")}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="deal-form-remark" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
