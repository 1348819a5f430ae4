import { Button, DatePicker, Empty, Flex, Input, Select, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { useNotify } from "../../components/use-notify";
import { FollowUpEditor } from "../follow-ups/FollowUpActions";
import { usePicklist } from "../picklists/picklists-api";
import { useAddDealFollowUp, useDealFollowUps, useDeleteDealFollowUp, useUpdateDealFollowUp } from "./deals-api";
import type { DealFollowUp } from "./deals-types";

/** Edit and delete on one of the deal's follow-ups, as its `access` allows. */
function DealFollowUpActions({ dealId, followUp }: { dealId: string; followUp: DealFollowUp }) {
  const update = useUpdateDealFollowUp(dealId, followUp);
  const remove = useDeleteDealFollowUp(dealId);
  return (
    <FollowUpEditor
      followUp={followUp}
      save={{ mutateAsync: (input) => update.mutateAsync(input), isPending: update.isPending }}
      remove={{ mutateAsync: () => remove.mutateAsync(followUp.id), isPending: remove.isPending }}
    />
  );
}

/** 跟进记录 of a deal: a short composer (type, content, next follow-up) and the list, newest first, each editable by who may. */
export function DealFollowUps({ dealId, canAdd }: { dealId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const list = useDealFollowUps(dealId);
  const add = useAddDealFollowUp();
  const types = usePicklist("followUp.type");
  const active = types.filter((o) => o.active);
  const [type, setType] = useState<string | undefined>(undefined);
  const [content, setContent] = useState("");
  const [next, setNext] = useState<Dayjs | null>(null);
  const chosenType = type ?? active[0]?.value;
  const typeLabel = (value: string) => types.find((o) => o.value === value)?.label ?? value;
  const submit = () => {
    if (!chosenType || !content.trim()) {
      return;
    }
    add.mutate(
      { id: dealId, type: chosenType, content: content.trim(), nextFollowupAt: next ? next.toISOString() : null },
      {
        onSuccess: () => {
          setContent("");
          setNext(null);
          notify.success(t("deals.followUps.added"));
        },
        onError: (e) => notify.error(e),
      },
    );
  };
  return (
    <Flex vertical gap={8} data-testid="deal-follow-ups">
      <Typography.Text strong>{t("deals.followUps.title")}</Typography.Text>
      {canAdd ? (
        <Flex vertical gap={8}>
          <Flex gap={8} wrap>
            <Select value={chosenType} onChange={setType} options={active.map((o) => ({ value: o.value, label: o.label }))} style={{ width: 120 }} data-testid="deal-follow-up-type" />
            <DatePicker showTime value={next} onChange={setNext} placeholder={t("deals.followUps.next")} data-testid="deal-follow-up-next" />
          </Flex>
          <Flex gap={8} align="start">
            <Input.TextArea value={content} onChange={(e) => setContent(e.target.value)} rows={2} maxLength={10_000} placeholder={t("deals.followUps.placeholder")} data-testid="deal-follow-up-content" />
            <Button type="primary" loading={add.isPending} disabled={!content.trim()} onClick={submit} data-testid="deal-follow-up-submit">
              {t("deals.followUps.add")}
            </Button>
          </Flex>
        </Flex>
      ) : null}
      {list.data?.data.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("deals.followUps.empty")} /> : null}
      {list.data?.data.map((f) => (
        <Flex key={f.id} vertical data-testid="deal-follow-up-item">
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {typeLabel(f.type)} · {f.ownerName ?? ""} · {formatDateTime(f.createdAt)}
            </Typography.Text>
            <DealFollowUpActions dealId={dealId} followUp={f} />
          </Flex>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>{f.content}</Typography.Paragraph>
          {f.nextFollowupAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("deals.followUps.nextAt", { at: formatDateTime(f.nextFollowupAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}
