import { Alert, Button, Checkbox, DatePicker, Descriptions, Flex, Form, Input, InputNumber, List, Modal, Radio, Select, Spin, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { usePicklistLookup } from "../picklists/picklists-api";
import { useConvertLead, useConvertPreview, usePipelines } from "./leads-api";
import type { ConvertInput, Lead } from "./leads-types";
import { formatMoney } from "../../../common/money";

/** The API takes the deal amount as a decimal string ("1000.00"); leads-types still names the old cents field. */
type ConvertBody = Omit<ConvertInput, "deal"> & { deal?: Omit<NonNullable<ConvertInput["deal"]>, "amountCents"> & { amount?: string } };

/** 转化: preview of the customer, contact and optional deal; duplicate warning with "use existing". */
export function ConvertLeadModal({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const navigate = useNavigate();
  const preview = useConvertPreview(lead.id, true);
  const convert = useConvertLead();
  const sourceLabel = usePicklistLookup("customer.source");
  const canDeal = can("deal:create") && can("deal:view");
  const pipelines = usePipelines(canDeal);
  const [existingId, setExistingId] = useState<string | null>(null);
  const [withDeal, setWithDeal] = useState(false);
  const [dealName, setDealName] = useState("");
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [stageId, setStageId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const [closeDate, setCloseDate] = useState<Dayjs | null>(null);

  const activePipelines = useMemo(() => (pipelines.data?.data ?? []).filter((p) => p.active), [pipelines.data]);
  const pipeline = activePipelines.find((p) => p.id === pipelineId) ?? activePipelines.find((p) => p.isDefault) ?? activePipelines[0];
  const duplicates = preview.data?.duplicates ?? [];
  const existing = duplicates.find((d) => d.id === existingId);

  const submit = () => {
    if (!preview.data) {
      return;
    }
    const input: ConvertBody = existingId ? { customerId: existingId } : { ignoreDuplicates: duplicates.length > 0 };
    if (withDeal) {
      input.deal = {
        name: dealName.trim() || preview.data.deal.name,
        ...(pipeline ? { pipelineId: pipeline.id } : {}),
        ...(stageId ? { stageId } : {}),
        ...(amount !== null ? { amount: formatMoney(Math.round(amount * 100)) } : {}),
        ...(closeDate ? { expectedCloseDate: closeDate.format("YYYY-MM-DD") } : {}),
      };
    }
    convert.mutate(
      { id: lead.id, input },
      {
        onSuccess: (result) => {
          notify.success(t("leads.convert.done"));
          onClose();
          void navigate(`/customers/${result.customerId}`);
        },
        onError: (error) => notify.error(error),
      },
    );
  };

  const body = () => {
    if (preview.isError) {
      return <LoadError onRetry={() => void preview.refetch()} />;
    }
    if (!preview.data) {
      return <Spin />;
    }
    const p = preview.data;
    return (
      <Flex vertical gap={16}>
        {duplicates.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="convert-duplicates"
            title={t("leads.convert.duplicatesTitle", { count: duplicates.length })}
            description={
              <List
                size="small"
                dataSource={duplicates}
                renderItem={(match, i) => (
                  <List.Item
                    data-testid={`convert-duplicate-${i}`}
                    actions={
                      match.visible && match.id
                        ? [
                            <Button key="use" size="small" type={existingId === match.id ? "primary" : "default"} onClick={() => setExistingId(match.id === existingId ? null : match.id)} data-testid={`convert-use-existing-${i}`}>
                              {existingId === match.id ? t("leads.convert.usingExisting") : t("leads.convert.useExisting")}
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <Typography.Text>
                      {match.visible ? match.name : t("leads.convert.hiddenMatch")}
                      {match.ownerName ? ` · ${match.ownerName}` : ""}
                      {` · ${match.reasons.map((r) => t(`leads.convert.reason.${r}`)).join(" / ")}`}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            }
          />
        ) : null}
        <Radio.Group
          value={existingId ? "existing" : "new"}
          onChange={(e) => {
            if (e.target.value === "new") {
              setExistingId(null);
            }
          }}
          data-testid="convert-target"
          options={[
            { value: "new", label: <span data-testid="convert-target-new">{t("leads.convert.createCustomer")}</span> },
            ...(existing ? [{ value: "existing", label: <span data-testid="convert-target-existing">{t("leads.convert.attachTo", { name: existing.name })}</span> }] : []),
          ]}
        />
        {existingId ? null : (
          <Descriptions size="small" bordered column={1} title={t("leads.convert.customer")} data-testid="convert-preview-customer">
            <Descriptions.Item label={t("leads.field.company")}>{p.customer.name}</Descriptions.Item>
            <Descriptions.Item label={t("leads.field.phone")}>{p.customer.phone ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("leads.field.email")}>{p.customer.email ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("leads.field.source")}>{sourceLabel(p.customer.source)?.label ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("leads.field.owner")}>{p.customer.ownerName ?? lead.ownerName ?? "—"}</Descriptions.Item>
          </Descriptions>
        )}
        <Descriptions size="small" bordered column={1} title={t("leads.convert.contact")} data-testid="convert-preview-contact">
          <Descriptions.Item label={t("leads.field.name")}>{p.contact.name}</Descriptions.Item>
          <Descriptions.Item label={t("leads.field.title")}>{p.contact.title ?? "—"}</Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary" data-testid="convert-follow-ups">
          {t("leads.convert.followUpsMove", { count: p.followUps })}
        </Typography.Text>
        {canDeal ? (
          <Checkbox checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} data-testid="convert-with-deal">
            {t("leads.convert.withDeal")}
          </Checkbox>
        ) : null}
        {withDeal ? (
          <Form layout="vertical" data-testid="convert-deal-form">
            <Form.Item label={t("leads.convert.dealName")}>
              <Input value={dealName} placeholder={p.deal.name} onChange={(e) => setDealName(e.target.value)} maxLength={200} data-testid="convert-deal-name" />
            </Form.Item>
            <Flex gap={8}>
              <Form.Item label={t("leads.convert.pipeline")} style={{ flex: 1 }}>
                <Select
                  value={pipeline?.id}
                  onChange={(v) => {
                    setPipelineId(v);
                    setStageId(null);
                  }}
                  options={activePipelines.map((pl) => ({ value: pl.id, label: pl.name }))}
                  loading={pipelines.isPending}
                  data-testid="convert-deal-pipeline"
                />
              </Form.Item>
              <Form.Item label={t("leads.convert.stage")} style={{ flex: 1 }}>
                <Select
                  value={stageId ?? pipeline?.stages[0]?.id}
                  onChange={setStageId}
                  options={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.winProbability}%)` }))}
                  data-testid="convert-deal-stage"
                />
              </Form.Item>
            </Flex>
            <Flex gap={8}>
              <Form.Item label={t("leads.convert.amount")} style={{ flex: 1 }}>
                <InputNumber min={0} precision={2} value={amount} onChange={(v) => setAmount(v)} style={{ width: "100%" }} data-testid="convert-deal-amount" />
              </Form.Item>
              <Form.Item label={t("leads.convert.expectedCloseDate")} style={{ flex: 1 }}>
                <DatePicker value={closeDate} onChange={setCloseDate} style={{ width: "100%" }} data-testid="convert-deal-close-date" />
              </Form.Item>
            </Flex>
          </Form>
        ) : null}
      </Flex>
    );
  };

  return (
    <Modal
      open
      width={640}
      title={t("leads.convert.title", { name: lead.name })}
      onCancel={onClose}
      onOk={submit}
      okText={t("leads.convert.confirm")}
      okButtonProps={{ disabled: !preview.data, loading: convert.isPending, ...testId("convert-confirm") }}
      cancelButtonProps={testId("convert-cancel")}
      destroyOnHidden
    >
      <div data-testid="lead-convert-modal">{body()}</div>
    </Modal>
  );
}
