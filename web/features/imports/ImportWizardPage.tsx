import { HistoryOutlined } from "@ant-design/icons";
import { Button, Card, Steps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { useImportableEntities } from "./import-entities";
import { useImportJob } from "./imports-api";
import type { DuplicateMode, ImportEntity, ImportUpload, Mapping } from "./imports-api";
import { MappingStep } from "./MappingStep";
import { PreviewStep } from "./PreviewStep";
import { RunStep } from "./RunStep";
import { UploadStep } from "./UploadStep";

type Stage = "upload" | "mapping" | "preview" | "run";

function initialMapping(upload: ImportUpload): Mapping {
  const mapping: Mapping = {};
  for (const column of upload.columns) {
    mapping[String(column.index)] = upload.guesses[String(column.index)] ?? null;
  }
  return mapping;
}

/**
 * 导入 for every importable entity (customers, contacts, leads, products — those the user may
 * import): upload → map columns → preview and choose how to treat duplicates → run with live
 * progress → report. `?id=` reopens a started import (from the history list).
 */
export function ImportWizardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const resumeId = params.get("id");
  const [stage, setStage] = useState<Stage>(resumeId ? "run" : "upload");
  const importable = useImportableEntities();
  // ?entity= presets the choice (the leads page opens the wizard with entity=lead); else the first the user may import.
  const requested = params.get("entity");
  const [entity, setEntity] = useState<ImportEntity>(requested && importable.includes(requested) ? requested : (importable[0] ?? "customer"));
  const [upload, setUpload] = useState<{ data: ImportUpload; fileName: string } | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [duplicateMode, setDuplicateMode] = useState<DuplicateMode>("skip");
  const jobId = stage === "run" ? (upload?.data.id ?? resumeId) : null;
  const job = useImportJob(jobId);
  const shownEntity = stage === "run" ? (job.data?.entity ?? entity) : entity;
  const finished = job.data !== undefined && ["done", "failed", "cancelled"].includes(job.data.status);

  const stepIndex = { upload: 0, mapping: 1, preview: 2, run: finished ? 4 : 3 }[stage];

  const restart = () => {
    // "Import another file" keeps the entity just imported (also when the job was reopened from the history).
    if (importable.includes(shownEntity)) {
      setEntity(shownEntity);
    }
    setUpload(null);
    setMapping({});
    setDuplicateMode("skip");
    setStage("upload");
    setParams({ entity: shownEntity }, { replace: true });
  };

  const content = () => {
    if (stage === "run" && jobId) {
      return <RunStep jobId={jobId} onRestart={restart} />;
    }
    if (stage === "mapping" && upload) {
      return (
        <MappingStep
          entity={entity}
          upload={upload.data}
          fileName={upload.fileName}
          mapping={mapping}
          onChange={setMapping}
          onBack={restart}
          onNext={() => setStage("preview")}
        />
      );
    }
    if (stage === "preview" && upload) {
      return (
        <PreviewStep
          entity={entity}
          upload={upload.data}
          mapping={mapping}
          duplicateMode={duplicateMode}
          onDuplicateModeChange={setDuplicateMode}
          onBack={() => setStage("mapping")}
          onStarted={() => {
            setParams({ id: upload.data.id }, { replace: true });
            setStage("run");
          }}
        />
      );
    }
    return (
      <UploadStep
        entity={entity}
        onEntityChange={(next) => {
          setEntity(next);
          setParams({ entity: next }, { replace: true });
        }}
        onUploaded={(data, fileName) => {
          setUpload({ data, fileName });
          setMapping(initialMapping(data));
          setStage("mapping");
        }}
      />
    );
  };

  return (
    <Card
      title={t("imports.titleOf", { what: t(`imports.entity.${shownEntity}`, { defaultValue: shownEntity }) })}
      data-testid="import-wizard"
      extra={
        <Button icon={<HistoryOutlined />} onClick={() => void navigate("/customers/imports")} data-testid="import-history-button">
          {t("imports.history.title")}
        </Button>
      }
    >
      <Steps
        current={stepIndex}
        size="small"
        style={{ marginBottom: 24 }}
        data-testid="import-steps"
        items={(["upload", "mapping", "preview", "run", "result"] as const).map((key) => ({
          title: t(`imports.steps.${key}`),
        }))}
      />
      {content()}
    </Card>
  );
}
