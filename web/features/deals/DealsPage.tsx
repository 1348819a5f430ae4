import { AppstoreOutlined, ExportOutlined, PlusOutlined, SettingOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Segmented, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCan, useSession } from "../../app/session";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { usePipelines } from "../pipelines/pipelines-api";
import { DealBoard } from "./DealBoard";
import { DealDrawer } from "./DealDrawer";
import { DealFormDrawer } from "./DealFormDrawer";
import { DealList } from "./DealList";
import { EntityExportModal } from "./EntityExportModal";
import { DEAL_STATUSES } from "./deals-types";

/** The list's filter as export filter keys (the board exports its open deals). */
function exportFilter(status: string[], pipelineId: string | null, ownerId: string | null, q: string): Record<string, string> {
  const filter: Record<string, string> = {};
  if (status.length > 0) {
    filter["status[in]"] = status.join(",");
  }
  if (pipelineId) {
    filter.pipelineId = pipelineId;
  }
  if (ownerId) {
    filter.ownerId = ownerId;
  }
  if (q.trim()) {
    filter.q = q.trim();
  }
  return filter;
}

/** 商机: the kanban of a pipeline (default) or the list, with search, "mine" and the deal drawer. */
export function DealsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const view = searchParams.get("view") === "list" ? "list" : "board";
  const openId = searchParams.get("deal");
  const pipelines = usePipelines();
  const active = (pipelines.data?.data ?? []).filter((p) => p.active);
  const chosen = searchParams.get("pipeline");
  const pipelineId = active.find((p) => p.id === chosen)?.id ?? active.find((p) => p.isDefault)?.id ?? active[0]?.id ?? null;
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const [mine, setMine] = useState(false);
  const [status, setStatus] = useState<string[]>(["open"]);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const ownerId = mine ? me.user.id : null;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (value === null) {
      next.delete(key);
    } else {
      next.set(key, value);
    }
    setSearchParams(next, { replace: true });
  };

  return (
    <Card
      title={t("deals.title")}
      data-testid="deals-page"
      extra={
        <Flex gap={8} wrap>
          {can("pipeline:edit") ? (
            <Link to="/settings/pipelines">
              <Button icon={<SettingOutlined />} data-testid="deals-pipeline-settings">
                {t("deals.pipelineSettings")}
              </Button>
            </Link>
          ) : null}
          {can("deal:export") ? (
            <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="deals-export">
              {t("deals.export.button")}
            </Button>
          ) : null}
          {can("deal:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="deal-create">
              {t("deals.create")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center">
          <Segmented<"board" | "list">
            value={view}
            onChange={(v) => setParam("view", v === "list" ? "list" : null)}
            options={[
              { value: "board", icon: <AppstoreOutlined />, label: <span data-testid="deals-view-board">{t("deals.view.board")}</span> },
              { value: "list", icon: <UnorderedListOutlined />, label: <span data-testid="deals-view-list">{t("deals.view.list")}</span> },
            ]}
          />
          <Select
            value={pipelineId ?? undefined}
            onChange={(id: string) => setParam("pipeline", id)}
            options={active.map((p) => ({ value: p.id, label: p.name }))}
            style={{ minWidth: 180 }}
            loading={pipelines.isPending}
            data-testid="deals-pipeline-select"
          />
          <Input.Search allowClear placeholder={t("deals.searchPlaceholder")} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} data-testid="deals-search" />
          <Segmented<"all" | "mine">
            value={mine ? "mine" : "all"}
            onChange={(v) => setMine(v === "mine")}
            options={[
              { value: "all", label: <span data-testid="deals-scope-all">{t("deals.scopeAll")}</span> },
              { value: "mine", label: <span data-testid="deals-scope-mine">{t("deals.scopeMine")}</span> },
            ]}
          />
          {view === "list" ? (
            <Select
              mode="multiple"
              allowClear
              value={status}
              onChange={setStatus}
              options={DEAL_STATUSES.map((s) => ({ value: s, label: t(`deals.status.${s}`) }))}
              placeholder={t("deals.field.status")}
              style={{ minWidth: 200 }}
              data-testid="deals-filter-status"
            />
          ) : null}
        </Flex>
        {pipelineId === null ? null : view === "board" ? (
          <DealBoard params={{ pipelineId, ownerId, q }} onOpen={(deal) => setParam("deal", deal.id)} />
        ) : (
          <DealList params={{ q, status, pipelineId, stageId: null, ownerId, sort: "-createdAt" }} onOpen={(deal) => setParam("deal", deal.id)} />
        )}
      </Flex>
      {exporting ? <EntityExportModal entity="deal" filter={exportFilter(view === "list" ? status : ["open"], pipelineId, ownerId, q)} onClose={() => setExporting(false)} /> : null}
      <DealDrawer id={openId} onClose={() => setParam("deal", null)} />
      <DealFormDrawer open={creating} deal={null} pipelineId={pipelineId} onClose={() => setCreating(false)} onSaved={(deal) => setParam("deal", deal.id)} />
    </Card>
  );
}
