import { DeleteOutlined, EditOutlined, LockOutlined, SwapOutlined, TeamOutlined, UnlockOutlined } from "@ant-design/icons";
import { Button, Popconfirm, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { CollaboratorsModal } from "./CollaboratorsModal";
import { useCustomerAction, useDeleteCustomer, useInvalidateCustomer } from "./customer-360-api";
import type { Customer } from "./customer-360-types";
import { CustomerFormDrawer } from "../customers/CustomerFormDrawer";
import { TransferModal } from "./TransferModal";
import { ReleaseButton } from "../pools/ReleaseButton";

type Dialog = "edit" | "transfer" | "collaborators" | null;

export function CustomerActions({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>(null);
  const action = useCustomerAction(customer.id);
  const remove = useDeleteCustomer(customer.id);
  const invalidate = useInvalidateCustomer(customer.id);
  const { access } = customer;

  const toggleLock = async () => {
    try {
      await action.mutateAsync(customer.locked ? "unlock" : "lock");
      notify.success(customer.locked ? t("customer360.unlockedDone") : t("customer360.lockedDone"));
    } catch (error) {
      notify.error(error);
    }
  };

  const deleteCustomer = async () => {
    try {
      await remove.mutateAsync();
      notify.success(t("customer360.deleted"));
      void navigate("/customers");
    } catch (error) {
      notify.error(error);
    }
  };

  if (customer.deletedAt) {
    return null;
  }

  return (
    <Space wrap data-testid="customer-actions">
      {access.edit ? (
        <Button icon={<EditOutlined />} onClick={() => setDialog("edit")} data-testid="customer-edit">
          {t("common.edit")}
        </Button>
      ) : null}
      {access.transfer ? (
        <Button icon={<SwapOutlined />} onClick={() => setDialog("transfer")} data-testid="customer-transfer">
          {t("customer360.transfer")}
        </Button>
      ) : null}
      <ReleaseButton customer={customer} />
      {access.edit ? (
        <Button
          icon={customer.locked ? <UnlockOutlined /> : <LockOutlined />}
          onClick={() => void toggleLock()}
          loading={action.isPending}
          data-testid={customer.locked ? "customer-unlock" : "customer-lock"}
        >
          {customer.locked ? t("customer360.unlock") : t("customer360.lock")}
        </Button>
      ) : null}
      {access.edit ? (
        <Button icon={<TeamOutlined />} onClick={() => setDialog("collaborators")} data-testid="customer-collaborators">
          {t("customer360.collaborators.button")}
        </Button>
      ) : null}
      {access.delete ? (
        <Popconfirm
          title={t("customer360.confirmDelete", { name: customer.name })}
          okText={t("common.delete")}
          cancelText={t("common.cancel")}
          okButtonProps={{ danger: true, ...testId("confirm-ok") }}
          onConfirm={() => deleteCustomer()}
          destroyOnHidden
        >
          <Button danger icon={<DeleteOutlined />} data-testid="customer-delete">
            {t("common.delete")}
          </Button>
        </Popconfirm>
      ) : null}
      {dialog === "edit" ? (
        <CustomerFormDrawer customer={customer} onClose={() => setDialog(null)} onSaved={() => void invalidate()} />
      ) : null}
      {dialog === "transfer" ? <TransferModal customer={customer} onClose={() => setDialog(null)} /> : null}
      {dialog === "collaborators" ? (
        <CollaboratorsModal customer={customer} onClose={() => setDialog(null)} />
      ) : null}
    </Space>
  );
}
