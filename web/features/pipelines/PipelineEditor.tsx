import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, StarOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, InputNumber, Popconfirm, Switch, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import { type StageInput, useDeletePipeline, useReplaceStages, useUpdatePipeline } from "./pipelines-api";
import type { Pipeline } from "./pipelines-types";

/**
 * One pipeline: name, default, active, and its ordered stages with win probabilities. The parent
 * keys it by version, so a saved change starts the editor from the stored pipeline.
 */
export function PipelineEditor({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const update = useUpdatePipeline();
  const replace = useReplaceStages();
  const remove = useDeletePipeline();
  const [name, setName] = useState(pipeline.name);
  const [stages, setStages] = useState<StageInput[]>(pipeline.stages.map(({ id, name: n, winProbability }) => ({ id, name: n, winProbability })));

  const change = (index: number, patch: Partial<StageInput>) => setStages((list) => list.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const swap = (a: number, b: number) =>
    setStages((list) => {
      const next = [...list];
      const [x, y] = [next[a], next[b]];
      if (x && y) {
        next[a] = y;
        next[b] = x;
      }
      return next;
    });
  const save = async () => {
    try {
      if (name.trim() && name.trim() !== pipeline.name) {
        await update.mutateAsync({ id: pipeline.id, name: name.trim() });
      }
      await replace.mutateAsync({ id: pipeline.id, stages: stages.map((s) => ({ ...s, name: s.name.trim() })) });
      notify.success(t("pipelines.saved"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Card
      size="small"
      data-testid={`pipeline-${pipeline.id}`}
      title={
        <Flex gap={8} align="center">
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} style={{ width: 240 }} data-testid={`pipeline-name-${pipeline.id}`} />
          {pipeline.isDefault ? <Tag color="gold">{t("pipelines.default")}</Tag> : null}
        </Flex>
      }
      extra={
        <Flex gap={8} align="center">
          {!pipeline.isDefault ? (
            <>
              <Switch
                checked={pipeline.active}
                onChange={(active) => update.mutate({ id: pipeline.id, active }, { onError: (e) => notify.error(e) })}
                checkedChildren={t("pipelines.active")}
                unCheckedChildren={t("pipelines.inactive")}
                data-testid={`pipeline-active-${pipeline.id}`}
              />
              <Button size="small" icon={<StarOutlined />} onClick={() => update.mutate({ id: pipeline.id, isDefault: true }, { onError: (e) => notify.error(e) })} data-testid={`pipeline-default-${pipeline.id}`}>
                {t("pipelines.makeDefault")}
              </Button>
              <Popconfirm title={t("pipelines.deleteConfirm")} onConfirm={() => remove.mutate(pipeline.id, { onError: (e) => notify.error(e) })}>
                <Button size="small" danger icon={<DeleteOutlined />} data-testid={`pipeline-delete-${pipeline.id}`} aria-label={t("pipelines.delete")} />
              </Popconfirm>
            </>
          ) : null}
        </Flex>
      }
    >
      <Flex vertical gap={6}>
        <Flex gap={8}>
          <Typography.Text type="secondary" style={{ width: 260 }}>
            {t("pipelines.stageName")}
          </Typography.Text>
          <Typography.Text type="secondary">{t("pipelines.winProbability")}</Typography.Text>
        </Flex>
        {stages.map((stage, index) => (
          <Flex key={stage.id ?? `new-${index}`} gap={8} align="center" data-testid={`pipeline-stage-${index}`}>
            <Input value={stage.name} onChange={(e) => change(index, { name: e.target.value })} maxLength={64} style={{ width: 260 }} data-testid={`pipeline-stage-name-${index}`} />
            <InputNumber value={stage.winProbability} min={0} max={100} precision={0} suffix="%" onChange={(v) => change(index, { winProbability: v ?? 0 })} data-testid={`pipeline-stage-probability-${index}`} />
            <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => swap(index, index - 1)} aria-label={t("pipelines.up")} />
            <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === stages.length - 1} onClick={() => swap(index, index + 1)} aria-label={t("pipelines.down")} />
            <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={stages.length === 1} onClick={() => setStages((list) => list.filter((_, i) => i !== index))} aria-label={t("pipelines.removeStage")} data-testid={`pipeline-stage-remove-${index}`} />
          </Flex>
        ))}
        <Flex gap={8}>
          <Button icon={<PlusOutlined />} onClick={() => setStages((list) => [...list, { name: "", winProbability: 50 }])} data-testid={`pipeline-stage-add-${pipeline.id}`}>
            {t("pipelines.addStage")}
          </Button>
          <Button type="primary" loading={replace.isPending || update.isPending} disabled={stages.some((s) => !s.name.trim())} onClick={() => void save()} data-testid={`pipeline-save-${pipeline.id}`}>
            {t("pipelines.save")}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}
