import { Form, Input, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { usePools, useRelease } from "./pools-api";
import { useBulkReport } from "./use-bulk-report";

interface ReleaseValues {
  reason: string;
  poolId?: string;
}

/** 放入公海: the owner (or their manager) puts customers back into a pool, with a reason. */
export function ReleaseModal({ customerIds, name, onClose, onDone }: { customerIds: string[]; name?: string; onClose: () => void; onDone?: (done: string[]) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const report = useBulkReport();
  const [form] = Form.useForm<ReleaseValues>();
  const release = useRelease();
  const pools = usePools();

  const submit = async () => {
    let values: ReleaseValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const result = await release.mutateAsync({ customerIds, reason: values.reason.trim(), ...(values.poolId ? { poolId: values.poolId } : {}) });
      report(result, "pools.released");
      onDone?.(result.done);
      if (result.done.length > 0) {
        onClose();
      }
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={name ? t("pools.release.titleOne", { name }) : t("pools.release.title", { count: customerIds.length })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("pools.release.confirm")}
      cancelText={t("common.cancel")}
      confirmLoading={release.isPending}
      okButtonProps={testId("release-confirm")}
      destroyOnHidden
    >
      <Form<ReleaseValues> form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t("pools.reason")}
          rules={[{ required: true, whitespace: true, message: t("pools.release.reasonRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="release-reason" />
        </Form.Item>
        <Form.Item name="poolId" label={t("pools.release.pool")} extra={t("pools.release.poolHint")}>
          <Select<string>
            allowClear
            loading={pools.isLoading}
            options={(pools.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            data-testid="release-pool"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
