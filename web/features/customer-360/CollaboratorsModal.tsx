import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, DatePicker, Flex, Modal, Select, Spin, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserSelect } from "../users/UserSelect";
import { useCollaborators, useSaveCollaborators } from "./customer-360-api";
import type { Collaborator, Customer } from "./customer-360-types";

interface Row {
  key: number;
  userId: string | null;
  userName: string | null;
  access: "read" | "write";
  expiresAt: string | null;
}

function toRows(list: Collaborator[]): Row[] {
  return list.map((item, index) => ({ key: index, ...item }));
}

function RowsEditor({ customer, initial, onClose }: { customer: Customer; initial: Row[]; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [rows, setRows] = useState<Row[]>(initial);
  const [nextKey, setNextKey] = useState(initial.length);
  const save = useSaveCollaborators(customer.id);

  const update = (key: number, change: Partial<Row>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
  };

  const submit = async () => {
    const collaborators = rows
      .filter((row): row is Row & { userId: string } => row.userId !== null)
      .map((row) => ({ userId: row.userId, access: row.access, expiresAt: row.expiresAt }));
    try {
      await save.mutateAsync(collaborators);
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={t("customer360.collaborators.title", { name: customer.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={save.isPending}
      okButtonProps={testId("collaborators-save")}
      destroyOnHidden
    >
      <Flex vertical gap={8} data-testid="collaborators-editor">
        <Typography.Text type="secondary">{t("customer360.collaborators.hint")}</Typography.Text>
        {rows.map((row) => (
          <Flex key={row.key} gap={8} align="center" data-testid="collaborator-row">
            <UserSelect
              value={row.userId}
              initialLabel={row.userName}
              excludeId={customer.ownerId ?? undefined}
              onChange={(userId) => update(row.key, { userId })}
              testId="collaborator-user"
              style={{ flex: 1, minWidth: 180 }}
            />
            <Select<"read" | "write">
              value={row.access}
              onChange={(access) => update(row.key, { access })}
              style={{ width: 130 }}
              data-testid="collaborator-access"
              options={[
                { value: "read", label: t("customer360.collaborators.read") },
                { value: "write", label: t("customer360.collaborators.write") },
              ]}
            />
            <DatePicker
              value={row.expiresAt ? dayjs(row.expiresAt) : null}
              onChange={(value) => update(row.key, { expiresAt: value ? value.endOf("day").toISOString() : null })}
              placeholder={t("customer360.collaborators.noExpiry")}
              disabledDate={(date) => date.isBefore(dayjs().startOf("day"))}
              data-testid="collaborator-expires"
            />
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t("common.delete")}
              onClick={() => setRows((current) => current.filter((item) => item.key !== row.key))}
              data-testid="collaborator-remove"
            />
          </Flex>
        ))}
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          onClick={() => {
            setRows((current) => [...current, { key: nextKey, userId: null, userName: null, access: "read", expiresAt: null }]);
            setNextKey(nextKey + 1);
          }}
          data-testid="collaborator-add"
        >
          {t("customer360.collaborators.add")}
        </Button>
      </Flex>
    </Modal>
  );
}

/** 团队成员: who else may see (read) or edit (write) this customer, optionally until a date. */
export function CollaboratorsModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const list = useCollaborators(customer.id, true);
  if (list.isPending) {
    return (
      <Modal open footer={null} onCancel={onClose} title={t("customer360.collaborators.button")}>
        <Flex justify="center">
          <Spin />
        </Flex>
      </Modal>
    );
  }
  if (list.isError) {
    return (
      <Modal open footer={null} onCancel={onClose} title={t("customer360.collaborators.button")}>
        <Alert type="error" title={t("common.loadFailed")} />
      </Modal>
    );
  }
  return <RowsEditor customer={customer} initial={toRows(list.data.data)} onClose={onClose} />;
}
