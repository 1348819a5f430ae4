import { Alert, Button, Checkbox, Descriptions, Flex, Modal, Radio, Spin, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { useNotify } from "../../components/use-notify";
import type { Customer } from "../customer-360/customer-360-types";
import { useMergeCustomers, useMergePreview } from "./duplicates-api";
import type { MergePreview } from "./duplicates-api";
import { MergeFieldsTable, defaultChoices } from "./MergeFieldsTable";

const COUNT_KEYS = ["contacts", "followUps", "timeline", "tags"] as const;
/** The server merges at most this many sources at once. */
const MAX_SOURCES = 10;

function CustomerChoice({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  return (
    <Flex vertical>
      <Typography.Text strong>{customer.name}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[customer.phone, customer.email, customer.ownerName ?? t("customer360.noOwner"), formatDateTime(customer.createdAt)]
          .filter((part) => part)
          .join(" · ")}
      </Typography.Text>
    </Flex>
  );
}

/** 合并: pick the record to keep, choose each field's value, see what moves, then merge. */
export function MergeDialog({
  customers,
  onClose,
  onMerged,
}: {
  customers: Customer[];
  onClose: () => void;
  onMerged: (target: Customer) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [targetId, setTargetId] = useState(customers[0]?.id ?? "");
  const [sourceIds, setSourceIds] = useState(() => customers.slice(1, MAX_SOURCES + 1).map((customer) => customer.id));
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const loadPreview = useMergePreview();
  const merge = useMergeCustomers();

  const chooseTarget = (id: string) => {
    setTargetId(id);
    setSourceIds(
      customers
        .filter((customer) => customer.id !== id)
        .slice(0, MAX_SOURCES)
        .map((customer) => customer.id),
    );
  };

  const showPreview = async () => {
    try {
      const result = await loadPreview.mutateAsync({ targetId, sourceIds });
      setPreview(result);
      setChoices(defaultChoices(result.fields, targetId));
    } catch (error) {
      notify.error(error);
    }
  };

  const confirm = async () => {
    try {
      // The versions seen in the preview: a record changed since answers 412 instead of merging blind.
      const versions = preview
        ? Object.fromEntries([preview.target, ...preview.sources].map((customer) => [customer.id, customer.version]))
        : undefined;
      const merged = await merge.mutateAsync({ targetId, sourceIds, fields: choices, versions });
      notify.success(t("duplicates.merge.done", { count: sourceIds.length }));
      onMerged(merged);
    } catch (error) {
      notify.error(error);
    }
  };

  const involved = preview ? [preview.target, ...preview.sources] : customers;

  const footer = preview ? (
    <Flex justify="space-between">
      <Button onClick={() => setPreview(null)} data-testid="merge-back">
        {t("imports.back")}
      </Button>
      <Flex gap={8}>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button type="primary" danger loading={merge.isPending} onClick={() => void confirm()} data-testid="merge-confirm">
          {t("duplicates.merge.confirm", { count: sourceIds.length })}
        </Button>
      </Flex>
    </Flex>
  ) : (
    <Flex justify="end" gap={8}>
      <Button onClick={onClose}>{t("common.cancel")}</Button>
      <Button
        type="primary"
        loading={loadPreview.isPending}
        disabled={sourceIds.length === 0}
        onClick={() => void showPreview()}
        data-testid="merge-preview"
      >
        {t("duplicates.merge.preview")}
      </Button>
    </Flex>
  );

  return (
    <Modal open width={960} title={t("duplicates.merge.title")} onCancel={onClose} footer={footer} destroyOnHidden data-testid="merge-dialog">
      {preview ? (
        <Flex vertical gap={12} data-testid="merge-step-fields">
          <Alert
            type="warning"
            showIcon
            title={t("duplicates.merge.warning", { target: preview.target.name, count: preview.sources.length })}
          />
          <Descriptions
            size="small"
            column={4}
            data-testid="merge-counts"
            items={COUNT_KEYS.map((key) => ({
              key,
              label: t(`duplicates.merge.counts.${key}`),
              children: <span data-testid={`merge-count-${key}`}>{preview.counts[key] ?? 0}</span>,
            }))}
          />
          <MergeFieldsTable
            customers={involved}
            targetId={preview.target.id}
            fields={preview.fields}
            choices={choices}
            onChoose={(field, customerId) => setChoices((current) => ({ ...current, [field]: customerId }))}
          />
        </Flex>
      ) : (
        <Spin spinning={loadPreview.isPending}>
          <Flex vertical gap={12} data-testid="merge-step-target">
            <Typography.Text>{t("duplicates.merge.pickTarget")}</Typography.Text>
            {customers.length > MAX_SOURCES + 1 ? (
              <Alert type="info" showIcon title={t("duplicates.merge.maxSources", { max: MAX_SOURCES })} />
            ) : null}
            {customers.map((customer) => (
              <Flex
                key={customer.id}
                gap={12}
                align="center"
                style={{ padding: 8, border: "1px solid #f0f0f0", borderRadius: 8 }}
                data-testid="merge-candidate"
              >
                <Radio
                  checked={customer.id === targetId}
                  onChange={() => chooseTarget(customer.id)}
                  data-testid={`merge-target-${customer.id}`}
                >
                  {t("duplicates.merge.keep")}
                </Radio>
                <Checkbox
                  checked={sourceIds.includes(customer.id)}
                  disabled={customer.id === targetId || (!sourceIds.includes(customer.id) && sourceIds.length >= MAX_SOURCES)}
                  onChange={(event) =>
                    setSourceIds((current) =>
                      event.target.checked ? [...current, customer.id] : current.filter((id) => id !== customer.id),
                    )
                  }
                  data-testid={`merge-source-${customer.id}`}
                >
                  {t("duplicates.merge.mergeIn")}
                </Checkbox>
                <CustomerChoice customer={customer} />
                {!customer.access.edit ? <Tag color="red">{t("duplicates.merge.noAccess")}</Tag> : null}
              </Flex>
            ))}
          </Flex>
        </Spin>
      )}
    </Modal>
  );
}
