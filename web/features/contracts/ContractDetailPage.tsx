import { Button, Card, Descriptions, Flex, Input, Modal, Popconfirm, Result, Skeleton, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { formatDateTime } from "../../components/format";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { ApprovalProgress } from "../approvals/ApprovalProgress";
import { formatAmount } from "../approvals/approval-format";
import { useCustomDetailItems } from "../custom-fields/EntityCustomFields";
import { ContractPaymentsCard } from "../payments/ContractPaymentsCard";
import { ContractStatusTag } from "./contract-status";
import { ContractFormDrawer } from "./ContractFormDrawer";
import { type ContractLine, useContract, useContractAction } from "./contracts-api";

/** One contract: its fields, product lines, attachments, approval progress and history, and payments. */
export function ContractDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const contract = useContract(id);
  const act = useContractAction();
  const [editing, setEditing] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState("");
  const customItems = useCustomDetailItems("contract", "contract-detail");

  if (contract.isLoading) {
    return <Skeleton active />;
  }
  const c = contract.data;
  if (!c) {
    return <Result status="404" title={t("contracts.notFound")} />;
  }

  const run = async (action: "submit" | "void" | "delete", extra: { reason?: string } = {}) => {
    try {
      await act.mutateAsync({ id: c.id, action, ...extra });
      notify.success(t(`contracts.done.${action}`));
      if (action === "delete") {
        void navigate("/contracts");
      }
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Flex vertical gap={16} data-testid="contract-detail">
      <Card
        title={
          <Space>
            <span data-testid="contract-number">{c.number}</span>
            <span>{c.name}</span>
            <ContractStatusTag status={c.status} />
          </Space>
        }
        extra={
          <Space>
            {c.access.edit ? (
              <Button onClick={() => setEditing(true)} data-testid="contract-edit">
                {t("contracts.editShort")}
              </Button>
            ) : null}
            {c.access.submit ? (
              <Button type="primary" loading={act.isPending} onClick={() => void run("submit")} data-testid="contract-submit">
                {t("contracts.submit")}
              </Button>
            ) : null}
            {c.access.void ? (
              <Button danger onClick={() => setVoiding(true)} data-testid="contract-void">
                {t("contracts.void")}
              </Button>
            ) : null}
            {c.access.delete ? (
              <Popconfirm title={t("contracts.deleteConfirm")} onConfirm={() => void run("delete")} okButtonProps={testId("contract-delete-confirm")}>
                <Button danger type="text" data-testid="contract-delete">
                  {t("contracts.delete")}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      >
        <Descriptions column={3} size="small">
          <Descriptions.Item label={t("contracts.fields.customer")}>
            <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("contracts.fields.deal")}>{c.dealName ?? "—"}</Descriptions.Item>
          {c.total !== undefined ? (
            <Descriptions.Item label={t("contracts.fields.total")}>
              <Typography.Text strong data-testid="contract-detail-total">
                {formatAmount(c.total)}
              </Typography.Text>
            </Descriptions.Item>
          ) : null}
          {c.signDate !== undefined ? <Descriptions.Item label={t("contracts.fields.signDate")}>{c.signDate ?? "—"}</Descriptions.Item> : null}
          {c.startDate !== undefined ? (
            <Descriptions.Item label={t("contracts.fields.period")}>
              {c.startDate ?? "…"} ~ {c.endDate ?? "…"}
            </Descriptions.Item>
          ) : null}
          {c.signerId !== undefined ? <Descriptions.Item label={t("contracts.fields.signer")}>{c.signerName ?? "—"}</Descriptions.Item> : null}
          {c.customerSignerId !== undefined ? <Descriptions.Item label={t("contracts.fields.customerSigner")}>{c.customerSignerName ?? "—"}</Descriptions.Item> : null}
          {c.ownerId !== undefined ? <Descriptions.Item label={t("contracts.fields.owner")}>{c.ownerName ?? "—"}</Descriptions.Item> : null}
          <Descriptions.Item label={t("contracts.fields.createdAt")}>{formatDateTime(c.createdAt)}</Descriptions.Item>
          {c.approvedAt ? <Descriptions.Item label={t("contracts.fields.approvedAt")}>{formatDateTime(c.approvedAt)}</Descriptions.Item> : null}
          {c.voidReason ? <Descriptions.Item label={t("contracts.fields.voidReason")}>{c.voidReason}</Descriptions.Item> : null}
          {customItems(c.custom)}
          {c.remark ? <Descriptions.Item label={t("contracts.fields.remark")}>{c.remark}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      {c.lines !== undefined ? (
        <Card title={t("contracts.fields.lines")}>
          <Table<ContractLine>
            size="small"
            rowKey={(l) => l.id ?? l.name}
            pagination={false}
            dataSource={c.lines}
            data-testid="contract-detail-lines"
            columns={[
              { title: t("contracts.lines.name"), dataIndex: "name", key: "name" },
              { title: t("contracts.lines.unit"), dataIndex: "unit", key: "unit", render: (v: string | null) => v ?? "—" },
              { title: t("contracts.lines.price"), key: "price", align: "right", render: (_, l) => formatAmount(l.price) },
              { title: t("contracts.lines.quantity"), dataIndex: "quantity", key: "quantity", align: "right" },
              { title: t("contracts.lines.discount"), dataIndex: "discountPercent", key: "discount", align: "right" },
              { title: t("contracts.lines.amount"), key: "amount", align: "right", render: (_, l) => formatAmount(l.amount) },
            ]}
          />
        </Card>
      ) : null}
      <Card title={t("contracts.fields.files")}>
        {c.files.length === 0 ? (
          <Typography.Text type="secondary">{t("contracts.noFiles")}</Typography.Text>
        ) : (
          <Flex vertical gap={4} data-testid="contract-detail-files">
            {c.files.map((f) => (
              <a key={f.id} href={`/api/v1/contracts/${c.id}/files/${f.id}`} data-testid={`contract-file-${f.id}`}>
                {f.name}
              </a>
            ))}
          </Flex>
        )}
      </Card>
      <ApprovalProgress approval={c.approval} />
      {c.status === "approved" ? <ContractPaymentsCard contractId={c.id} contractStatus={c.status} /> : null}
      <ContractFormDrawer open={editing} contract={c} source={null} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <Modal
        open={voiding}
        title={t("contracts.void")}
        onCancel={() => setVoiding(false)}
        onOk={async () => {
          await run("void", { reason });
          setVoiding(false);
        }}
        okButtonProps={{ ...testId("contract-void-confirm"), danger: true, disabled: reason.trim() === "" }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("contracts.voidReason")} data-testid="contract-void-reason" />
      </Modal>
    </Flex>
  );
}
