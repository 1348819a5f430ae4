import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, DatePicker, Drawer, Flex, Form, Input, Select, Space, Upload } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { customChanges, customFormValues } from "../custom-fields/custom-values";
import { applyCustomFieldErrors, CustomFieldsSection, useEntityCustomFields } from "../custom-fields/EntityCustomFields";
import type { FormCustomValue } from "../customers/custom-form-values";
import { UserPicker } from "../customers/UserPicker";
import { formatCents, toApiMoney } from "../approvals/approval-format";
import { type ContractDetail, type ContractInput, useCustomerContacts, useCustomerOptions, useNumberingRule, usePrefill, useSaveContract } from "./contracts-api";
import { type LineValue, LinesEditor, linesTotal } from "./LinesEditor";

interface FormValues {
  lines: LineValue[];
  files: StoredFile[];
  customerId?: string;
  name: string;
  number?: string;
  signDate?: Dayjs | null;
  period?: [Dayjs | null, Dayjs | null] | null;
  signerId?: string | null;
  customerSignerId?: string | null;
  total?: string;
  remark?: string;
  custom?: Record<string, FormCustomValue>;
}

export interface ContractSource {
  dealId?: string | null;
  customerId?: string | null;
}

interface StoredFile {
  id: string;
  name: string;
}

/** Attachments as a form control: uploads go to /files at once, the form keeps their ids. */
function FilesField({ value = [], onChange }: { value?: StoredFile[]; onChange?: (next: StoredFile[]) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    setUploading(true);
    try {
      const body = new FormData();
      body.append("file", file);
      const stored = await api.upload<StoredFile>("/files", body);
      onChange?.([...value, { id: stored.id, name: stored.name }]);
    } catch (error) {
      notify.error(error);
    } finally {
      setUploading(false);
    }
  };
  return (
    <>
      <Upload
        showUploadList={false}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={uploading} data-testid="contract-upload">
          {t("contracts.upload")}
        </Button>
      </Upload>
      <Flex vertical gap={4} style={{ marginTop: 8 }} data-testid="contract-files">
        {value.map((f) => (
          <Space key={f.id}>
            <span>{f.name}</span>
            <Button size="small" type="link" danger onClick={() => onChange?.(value.filter((x) => x.id !== f.id))}>
              {t("contracts.removeFile")}
            </Button>
          </Space>
        ))}
      </Flex>
    </>
  );
}

const day = (value: string | null | undefined) => (value ? dayjs(value) : null);
const iso = (value: Dayjs | null | undefined) => (value ? value.format("YYYY-MM-DD") : null);

function toLines(lines: ContractDetail["lines"] | undefined): LineValue[] {
  return (lines ?? []).map((l) => ({ key: crypto.randomUUID(), productId: l.productId, name: l.name, unit: l.unit, price: l.price, quantity: l.quantity, discountPercent: l.discountPercent }));
}

function CustomerPicker({ value, onChange, label, disabled }: { value?: string; onChange?: (v: string) => void; label: string | null; disabled: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const customers = useCustomerOptions(useDebouncedValue(search));
  const options = useMemo(() => {
    const list = (customers.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }));
    if (value && !list.some((o) => o.value === value)) {
      list.unshift({ value, label: label ?? value.slice(0, 8) });
    }
    return list;
  }, [customers.data, value, label]);
  return (
    <Select
      value={value}
      onChange={onChange}
      disabled={disabled}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t("contracts.pickCustomer")}
      data-testid="contract-customer"
    />
  );
}

/** New contract (from a deal or a customer) or edit of a draft / rejected one. */
export function ContractFormDrawer({ open, contract, source, onClose, onSaved }: { open: boolean; contract: ContractDetail | null; source: ContractSource | null; onClose: () => void; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveContract();
  const prefill = usePrefill(open && !contract ? source : null);
  const rule = useNumberingRule(open && !contract);
  const lines = Form.useWatch("lines", form) ?? [];
  const customerId = Form.useWatch("customerId", form) ?? contract?.customerId;
  const contacts = useCustomerContacts(customerId);
  const customFields = useEntityCustomFields("contract");
  const { definitions } = customFields;

  useEffect(() => {
    if (!open) {
      return;
    }
    if (contract) {
      form.setFieldsValue({
        customerId: contract.customerId,
        name: contract.name,
        signDate: day(contract.signDate),
        period: contract.startDate || contract.endDate ? [day(contract.startDate), day(contract.endDate)] : null,
        signerId: contract.signerId ?? null,
        customerSignerId: contract.customerSignerId ?? null,
        total: contract.total ?? "0.00",
        remark: contract.remark ?? undefined,
        lines: toLines(contract.lines),
        files: contract.files.map((f) => ({ id: f.id, name: f.name })),
      });
    } else {
      form.resetFields();
      form.setFieldsValue({ customerId: source?.customerId ?? undefined, signDate: dayjs(), lines: [], files: [] });
    }
  }, [open, contract, source, form]);

  useEffect(() => {
    // After the reset above (same deps plus the definitions, which may arrive later without wiping typed fields).
    if (open) {
      form.setFieldsValue({ custom: customFormValues(definitions, contract ? contract.custom : null) });
    }
  }, [open, contract, source, definitions, form]);

  useEffect(() => {
    const p = prefill.data;
    if (open && !contract && p) {
      const typed = form.getFieldValue("name") as string | undefined;
      form.setFieldsValue({ customerId: p.customerId ?? undefined, name: typed || p.name || "", total: p.total, lines: toLines(p.lines) });
    }
  }, [open, contract, prefill.data, form]);

  const submit = async () => {
    const values = await form.validateFields();
    const body: ContractInput = {
      name: values.name,
      signDate: iso(values.signDate),
      startDate: iso(values.period?.[0]),
      endDate: iso(values.period?.[1]),
      signerId: values.signerId ?? null,
      customerSignerId: values.customerSignerId ?? null,
      remark: values.remark ?? null,
      lines: values.lines.map((l) => ({ productId: l.productId, name: l.name || undefined, unit: l.unit, price: toApiMoney(l.price) ?? "0.00", quantity: l.quantity, discountPercent: l.discountPercent })),
      fileIds: values.files.map((f) => f.id),
    };
    if (values.lines.length === 0) {
      body.total = toApiMoney(values.total) ?? "0.00";
    }
    const custom = customChanges(definitions, values.custom, contract ? contract.custom : null, customFields.rule);
    if (custom) {
      body.custom = custom;
    }
    if (!contract) {
      body.customerId = values.customerId;
      body.dealId = source?.dealId ?? null;
      if (values.number) {
        body.number = values.number;
      }
    }
    try {
      const saved = await save.mutateAsync({ id: contract?.id ?? null, version: contract?.version, body });
      notify.success(t("contracts.saved"));
      onSaved(saved.id);
    } catch (error) {
      const onFields = applyServerFieldErrors(form, error, ["customerId", "name", "number", "signDate", "period", "signerId", "customerSignerId", "total", "remark"], { endDate: "period", startDate: "period" });
      if (!applyCustomFieldErrors(form, error) && !onFields) {
        notify.error(error);
      }
    }
  };

  return (
    <Drawer
      open={open}
      width={920}
      title={contract ? t("contracts.edit") : t("contracts.create")}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose} data-testid="contract-cancel">
            {t("contracts.cancel")}
          </Button>
          <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="contract-save">
            {t("contracts.save")}
          </Button>
        </Space>
      }
      data-testid="contract-form"
    >
      {source?.dealId && prefill.data ? <Alert type="info" showIcon message={t("contracts.fromDeal", { name: prefill.data.dealName ?? "" })} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical">
        <Flex gap={12}>
          <Form.Item name="customerId" label={t("contracts.fields.customer")} rules={[{ required: true }]} style={{ flex: 1 }}>
            <CustomerPicker label={contract?.customerName ?? prefill.data?.customerName ?? null} disabled={contract !== null || Boolean(source?.dealId)} />
          </Form.Item>
          <Form.Item name="name" label={t("contracts.fields.name")} rules={[{ required: true, whitespace: true, max: 200 }]} style={{ flex: 1 }}>
            <Input data-testid="contract-name" />
          </Form.Item>
          {contract ? null : (
            <Form.Item name="number" label={t("contracts.fields.number")} tooltip={t("contracts.numberHint")} style={{ width: 200 }}>
              <Input placeholder={rule.data?.preview} data-testid="contract-number" />
            </Form.Item>
          )}
        </Flex>
        <Flex gap={12}>
          <Form.Item name="signDate" label={t("contracts.fields.signDate")}>
            <DatePicker data-testid="contract-sign-date" />
          </Form.Item>
          <Form.Item name="period" label={t("contracts.fields.period")}>
            <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="contract-period" />
          </Form.Item>
          <Form.Item name="signerId" label={t("contracts.fields.signer")} style={{ width: 180 }}>
            <UserPicker testId="contract-signer" knownLabels={contract?.signerId && contract.signerName ? { [contract.signerId]: contract.signerName } : undefined} />
          </Form.Item>
          <Form.Item name="customerSignerId" label={t("contracts.fields.customerSigner")} style={{ width: 180 }}>
            <Select allowClear options={(contacts.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="contract-customer-signer" />
          </Form.Item>
        </Flex>
        <Form.Item name="lines" label={t("contracts.fields.lines")}>
          <LinesEditor />
        </Form.Item>
        {lines.length === 0 ? (
          <Form.Item name="total" label={t("contracts.fields.total")} rules={[{ required: true, pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t("contracts.amountInvalid") }]} style={{ width: 240 }}>
            <Input data-testid="contract-total" />
          </Form.Item>
        ) : (
          <Form.Item label={t("contracts.fields.total")}>
            <span data-testid="contract-total-computed">{formatCents(linesTotal(lines))}</span>
          </Form.Item>
        )}
        <CustomFieldsSection fields={customFields} title={t("contracts.customSection")} testIdPrefix="contract-form" />
        <Form.Item name="remark" label={t("contracts.fields.remark")}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="contract-remark" />
        </Form.Item>
        <Form.Item name="files" label={t("contracts.fields.files")}>
          <FilesField />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
