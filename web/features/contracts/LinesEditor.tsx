import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Input, InputNumber, Select, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { formatCents, parseCents } from "../approvals/approval-format";
import { type ProductOption, useProductOptions } from "./contracts-api";

export interface LineValue {
  key: string;
  productId: string | null;
  name: string;
  unit: string | null;
  price: string;
  quantity: number;
  discountPercent: number;
}

/** price × quantity × (100 − discount%) / 100 in integers, rounded half up (as the server computes it). */
export function lineAmountCents(priceCents: number, quantity: number, discountPercent: number): number {
  const milli = BigInt(Math.round(quantity * 1000));
  const keep = BigInt(10_000 - Math.round(discountPercent * 100));
  const raw = BigInt(priceCents) * milli * keep;
  const divisor = 10_000_000n;
  return Number((raw + divisor / 2n) / divisor);
}

export function linesTotal(lines: readonly LineValue[]): number {
  return lines.reduce((sum, l) => sum + lineAmountCents(parseCents(l.price) ?? 0, l.quantity || 0, l.discountPercent || 0), 0);
}

function ProductPicker({ value, label, onPick, testId }: { value: string | null; label: string; onPick: (p: ProductOption | null) => void; testId: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const products = useProductOptions(q);
  const list = useMemo(() => products.data?.data ?? [], [products.data]);
  const options = useMemo(() => {
    const opts = list.map((p) => ({ value: p.id, label: p.code ? `${p.name} (${p.code})` : p.name }));
    if (value && !opts.some((o) => o.value === value)) {
      opts.unshift({ value, label });
    }
    return opts;
  }, [list, value, label]);
  return (
    <Select
      allowClear
      style={{ width: 200 }}
      value={value ?? undefined}
      placeholder={t("contracts.lines.pickProduct")}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={products.isFetching}
      onChange={(id: string | undefined) => onPick(id ? (list.find((p) => p.id === id) ?? null) : null)}
      data-testid={testId}
    />
  );
}

/** Product lines 产品明细: pick a product (name, unit, price default from it) or type a line; the amount follows. */
export function LinesEditor({ value = [], onChange = () => undefined, disabled }: { value?: LineValue[]; onChange?: (next: LineValue[]) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const update = (key: string, patch: Partial<LineValue>) => onChange(value.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const add = () => onChange([...value, { key: crypto.randomUUID(), productId: null, name: "", unit: null, price: "", quantity: 1, discountPercent: 0 }]);
  return (
    <>
      <Table<LineValue>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={value}
        data-testid="contract-lines"
        columns={[
          {
            title: t("contracts.lines.product"),
            key: "product",
            render: (_, line, i) => (
              <ProductPicker
                value={line.productId}
                label={line.name}
                testId={`contract-line-product-${i}`}
                onPick={(p) => update(line.key, p ? { productId: p.id, name: p.name, unit: p.unit, price: p.price ?? "0.00" } : { productId: null })}
              />
            ),
          },
          {
            title: t("contracts.lines.name"),
            key: "name",
            render: (_, line, i) => <Input value={line.name} disabled={disabled} onChange={(e) => update(line.key, { name: e.target.value })} data-testid={`contract-line-name-${i}`} />,
          },
          {
            title: t("contracts.lines.price"),
            key: "price",
            width: 120,
            render: (_, line, i) => <Input value={line.price} status={parseCents(line.price) === null && line.price !== "" ? "error" : undefined} onChange={(e) => update(line.key, { price: e.target.value })} data-testid={`contract-line-price-${i}`} />,
          },
          {
            title: t("contracts.lines.quantity"),
            key: "quantity",
            width: 100,
            render: (_, line, i) => <InputNumber min={0.001} step={1} precision={3} value={line.quantity} onChange={(v) => update(line.key, { quantity: v ?? 0 })} data-testid={`contract-line-quantity-${i}`} />,
          },
          {
            title: t("contracts.lines.discount"),
            key: "discount",
            width: 100,
            render: (_, line, i) => <InputNumber min={0} max={100} precision={2} value={line.discountPercent} onChange={(v) => update(line.key, { discountPercent: v ?? 0 })} data-testid={`contract-line-discount-${i}`} />,
          },
          {
            title: t("contracts.lines.amount"),
            key: "amount",
            align: "right",
            render: (_, line) => formatCents(lineAmountCents(parseCents(line.price) ?? 0, line.quantity || 0, line.discountPercent || 0)),
          },
          {
            title: "",
            key: "remove",
            width: 40,
            render: (_, line, i) => <Button type="text" icon={<DeleteOutlined />} onClick={() => onChange(value.filter((l) => l.key !== line.key))} data-testid={`contract-line-remove-${i}`} />,
          },
        ]}
        summary={() =>
          value.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <Typography.Text strong>{t("contracts.total")}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong data-testid="contract-lines-total">
                  {formatCents(linesTotal(value))}
                </Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
            </Table.Summary.Row>
          ) : null
        }
      />
      <Button type="dashed" icon={<PlusOutlined />} onClick={add} style={{ marginTop: 8 }} data-testid="contract-line-add">
        {t("contracts.lines.add")}
      </Button>
    </>
  );
}
