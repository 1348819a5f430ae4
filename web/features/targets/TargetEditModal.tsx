import { Button, Col, Form, Input, Modal, Row, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney, parseMoney } from "../../../common/money";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { type ReportRow, type SubjectType, type TargetKind, useSetTargets } from "./targets-api";

const MONEY = /^\d{1,13}(\.\d{1,2})?$/;

/** Targets are money (decimal strings, two digits): sums go through cents, as on the server. */
function toCents(value: string): number {
  return parseMoney(value) ?? 0;
}

/** Sets one subject's 12 monthly targets (or a year total spread evenly by the server). */
export function TargetEditModal({ row, year, kind, subjectType, onClose }: { row: ReportRow; year: number; kind: TargetKind; subjectType: SubjectType; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSetTargets();
  const [months, setMonths] = useState<string[]>(row.months.map((m) => m.target));
  const [yearTotal, setYearTotal] = useState("");
  const valid = months.every((m) => MONEY.test(m.trim()));
  const sum = valid ? months.reduce((s, m) => s + toCents(m), 0) : null;

  const submit = async (mode: "months" | "year") => {
    try {
      await save.mutateAsync({
        year,
        kind,
        items: [{ subjectType, subjectId: row.subjectId, ...(mode === "months" ? { months: months.map((m) => m.trim()) } : { yearTotal: yearTotal.trim() }) }],
      });
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t("targets.editTitle", { name: row.name ?? "", year })}
      onCancel={onClose}
      onOk={() => void submit("months")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !valid, loading: save.isPending, ...testId("target-edit-save") }}
      width={640}
      data-testid="target-edit-modal"
    >
      <Form layout="vertical">
        <Row gutter={12}>
          {months.map((value, i) => (
            <Col span={6} key={i}>
              <Form.Item label={t("targets.monthN", { n: i + 1 })} validateStatus={MONEY.test(value.trim()) ? undefined : "error"} style={{ marginBottom: 8 }}>
                <Input
                  value={value}
                  onChange={(e) => setMonths(months.map((m, j) => (j === i ? e.target.value : m)))}
                  data-testid={`target-month-${i + 1}`}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary" data-testid="target-edit-sum">
          {t("targets.yearSum", { total: sum === null ? "—" : formatMoney(sum) })}
        </Typography.Paragraph>
        <Form.Item label={t("targets.setYearTotal")} extra={t("targets.setYearTotalHint")}>
          <Input.Group compact>
            <Input style={{ width: 200 }} value={yearTotal} onChange={(e) => setYearTotal(e.target.value)} data-testid="target-year-total" />
            <Button onClick={() => void submit("year")} disabled={!MONEY.test(yearTotal.trim())} loading={save.isPending} data-testid="target-year-total-save">
              {t("targets.spread")}
            </Button>
          </Input.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
