import { Button, Card, Form, Input, Select, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useNotify } from "../../components/use-notify";
import { type NumberingRule, useNumberingRule, useSaveNumberingRule } from "./contracts-api";

/** Settings → contract numbering (编号规则): pattern tokens and when the sequence starts over. */
export function ContractSettingsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const rule = useNumberingRule();
  const save = useSaveNumberingRule();
  const [form] = Form.useForm<{ pattern: string; reset: NumberingRule["reset"] }>();

  useEffect(() => {
    if (rule.data) {
      form.setFieldsValue({ pattern: rule.data.pattern, reset: rule.data.reset });
    }
  }, [rule.data, form]);

  const submit = async () => {
    const values = await form.validateFields();
    try {
      await save.mutateAsync(values);
      notify.success(t("contracts.numbering.saved"));
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["pattern", "reset"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Card title={t("contracts.numbering.title")} data-testid="contract-settings-page">
      <Typography.Paragraph type="secondary">{t("contracts.numbering.help")}</Typography.Paragraph>
      <Form form={form} layout="vertical" style={{ maxWidth: 480 }}>
        <Form.Item name="pattern" label={t("contracts.numbering.pattern")} rules={[{ required: true, max: 80 }]}>
          <Input data-testid="numbering-pattern" />
        </Form.Item>
        <Form.Item name="reset" label={t("contracts.numbering.reset")}>
          <Select options={(["day", "month", "year", "never"] as const).map((r) => ({ value: r, label: t(`contracts.numbering.resets.${r}`) }))} data-testid="numbering-reset" />
        </Form.Item>
        <Form.Item label={t("contracts.numbering.next")}>
          <Typography.Text code data-testid="numbering-preview">
            {rule.data?.preview ?? "—"}
          </Typography.Text>
        </Form.Item>
        <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="numbering-save">
          {t("contracts.numbering.save")}
        </Button>
      </Form>
    </Card>
  );
}
