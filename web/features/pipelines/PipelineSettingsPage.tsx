import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FullPageSpin, LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { PipelineEditor } from "./PipelineEditor";
import { useCreatePipeline, usePipelines } from "./pipelines-api";

/** 商机组设置: every pipeline with its ordered stages and win probabilities; add, default, delete. */
export function PipelineSettingsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const pipelines = usePipelines();
  const create = useCreatePipeline();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  if (pipelines.isPending) {
    return <FullPageSpin />;
  }
  if (pipelines.isError) {
    return <LoadError onRetry={() => void pipelines.refetch()} />;
  }
  const submit = () => {
    create.mutate(
      { name: name.trim(), stages: [{ name: t("pipelines.firstStage"), winProbability: 10 }, { name: t("pipelines.secondStage"), winProbability: 50 }] },
      {
        onSuccess: () => {
          setCreating(false);
          setName("");
          notify.success(t("pipelines.created"));
        },
        onError: (e) => notify.error(e),
      },
    );
  };
  return (
    <Card
      title={t("pipelines.title")}
      data-testid="pipelines-page"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pipeline-create">
          {t("pipelines.create")}
        </Button>
      }
    >
      <Flex vertical gap={16}>
        <Typography.Text type="secondary">{t("pipelines.help")}</Typography.Text>
        {pipelines.data.data.map((p) => (
          <PipelineEditor key={`${p.id}-${p.version}`} pipeline={p} />
        ))}
      </Flex>
      <Modal
        open={creating}
        title={t("pipelines.create")}
        onCancel={() => setCreating(false)}
        onOk={submit}
        okButtonProps={{ ...testId("pipeline-create-submit"), disabled: !name.trim() }}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder={t("pipelines.name")} data-testid="pipeline-create-name" />
      </Modal>
    </Card>
  );
}
