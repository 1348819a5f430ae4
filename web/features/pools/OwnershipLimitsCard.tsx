import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Form, InputNumber, Modal, Popconfirm, Segmented, Table } from "antd";
import type { TableColumnsType } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { DepartmentTreeSelect } from "../departments/DepartmentTreeSelect";
import { UserSelect } from "../users/UserSelect";
import { useDeleteOwnershipLimit, useOwnershipLimits, usePutOwnershipLimit } from "./pools-api";
import type { LimitSubjectType, OwnershipLimit } from "./pools-types";

interface LimitValues {
  subjectType: LimitSubjectType;
  userId?: string | null;
  departmentId?: string | null;
  maxOwned: number | null;
  excludeDealt: boolean;
  maxLocked: number | null;
}

function LimitModal({ limit, onClose }: { limit: OwnershipLimit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<LimitValues>();
  const put = usePutOwnershipLimit();
  const subjectType = Form.useWatch("subjectType", form) ?? limit?.subjectType ?? "user";

  const submit = async () => {
    let values: LimitValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const subjectId = values.subjectType === "user" ? values.userId : values.subjectType === "department" ? values.departmentId : undefined;
    try {
      await put.mutateAsync({
        subjectType: values.subjectType,
        ...(subjectId ? { subjectId } : {}),
        maxOwned: values.maxOwned ?? null,
        excludeDealt: values.excludeDealt,
        maxLocked: values.maxLocked ?? null,
      });
      notify.success(t("pools.limits.saved"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t("pools.limits.edit")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={put.isPending}
      okButtonProps={testId("pool-settings-limit-save")}
      destroyOnHidden
    >
      <Form<LimitValues>
        form={form}
        layout="vertical"
        initialValues={{
          subjectType: limit?.subjectType ?? "user",
          userId: limit?.subjectType === "user" ? limit.subjectId : null,
          departmentId: limit?.subjectType === "department" ? limit.subjectId : null,
          maxOwned: limit?.maxOwned ?? null,
          excludeDealt: limit?.excludeDealt ?? false,
          maxLocked: limit?.maxLocked ?? null,
        }}
      >
        <Form.Item name="subjectType" label={t("pools.limits.subject")}>
          <Segmented<LimitSubjectType>
            disabled={limit !== null}
            options={(["user", "department", "workspace"] as const).map((v) => ({ value: v, label: t(`pools.limits.subjectType.${v}`) }))}
            data-testid="pool-settings-limit-type"
          />
        </Form.Item>
        {subjectType === "user" ? (
          <Form.Item name="userId" label={t("pools.limits.subjectType.user")} rules={[{ required: true, message: t("validation.required") }]}>
            <UserSelect disabled={limit !== null} initialLabel={limit?.subjectName ?? null} testId="pool-settings-limit-user" />
          </Form.Item>
        ) : null}
        {subjectType === "department" ? (
          <Form.Item name="departmentId" label={t("pools.limits.subjectType.department")} rules={[{ required: true, message: t("validation.required") }]}>
            <DepartmentTreeSelect disabled={limit !== null} testId="pool-settings-limit-department" />
          </Form.Item>
        ) : null}
        <Form.Item name="maxOwned" label={t("pools.limits.maxOwned")} extra={t("pools.settings.emptyUnlimited")}>
          <InputNumber min={0} max={1000000} precision={0} style={{ width: "100%" }} data-testid="pool-settings-limit-max-owned" />
        </Form.Item>
        <Form.Item name="excludeDealt" valuePropName="checked">
          <Checkbox data-testid="pool-settings-limit-exclude-dealt">{t("pools.limits.excludeDealt")}</Checkbox>
        </Form.Item>
        <Form.Item name="maxLocked" label={t("pools.limits.maxLocked")} extra={t("pools.settings.emptyUnlimited")}>
          <InputNumber min={0} max={1000000} precision={0} style={{ width: "100%" }} data-testid="pool-settings-limit-max-locked" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 客户数上限: how many customers a user, everyone in a department, or everyone may own and lock. */
export function OwnershipLimitsCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const limits = useOwnershipLimits(true);
  const remove = useDeleteOwnershipLimit();
  const [editing, setEditing] = useState<OwnershipLimit | "new" | null>(null);
  const unlimited = (v: number | null) => (v === null ? t("pools.unlimited") : v);

  const columns: TableColumnsType<OwnershipLimit> = [
    { title: t("pools.limits.subject"), key: "subject", render: (_v, row) => `${t(`pools.limits.subjectType.${row.subjectType}`)}${row.subjectType === "workspace" ? "" : `: ${row.subjectName ?? "—"}`}` },
    { title: t("pools.limits.maxOwned"), dataIndex: "maxOwned", width: 140, render: unlimited },
    { title: t("pools.limits.excludeDealt"), dataIndex: "excludeDealt", width: 140, render: (v: boolean) => (v ? t("pools.yes") : t("pools.no")) },
    { title: t("pools.limits.maxLocked"), dataIndex: "maxLocked", width: 140, render: unlimited },
    {
      title: t("common.actions"),
      key: "actions",
      width: 150,
      render: (_v, row) => (
        <>
          <Button type="link" size="small" onClick={() => setEditing(row)} data-testid="pool-settings-limit-edit">
            {t("common.edit")}
          </Button>
          <Popconfirm
            title={t("pools.limits.confirmDelete")}
            okText={t("common.delete")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, ...testId("confirm-ok") }}
            onConfirm={async () => {
              try {
                await remove.mutateAsync(row.id);
              } catch (error) {
                notify.error(error);
              }
            }}
          >
            <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} data-testid="pool-settings-limit-delete" />
          </Popconfirm>
        </>
      ),
    },
  ];

  return (
    <Card
      title={t("pools.limits.title")}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="pool-settings-limit-add">
          {t("pools.limits.add")}
        </Button>
      }
    >
      {limits.isError ? (
        <LoadError onRetry={() => void limits.refetch()} />
      ) : (
        <Table<OwnershipLimit>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={limits.data?.data ?? []}
          loading={limits.isLoading}
          pagination={false}
          onRow={() => ({ "data-testid": "pool-settings-limit-row" }) as HTMLAttributes<HTMLElement>}
        />
      )}
      {editing ? <LimitModal limit={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
