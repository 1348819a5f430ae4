import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, withQuery } from "../../app/api";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useProductOptions } from "../products/products-api";
import type { Product } from "../products/products-types";

/** Searchable customer picker (GET /customers?q=), for a new deal. */
export function CustomerSelect({ value, onChange, knownName, disabled }: { value?: string | null; onChange?: (id: string | null) => void; knownName?: string | null; disabled?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const customers = useQuery({
    queryKey: ["customers", "options", q],
    queryFn: () => api.get<{ data: { id: string; name: string }[] }>(withQuery("/customers", { q: q.trim() || undefined, limit: 20 })),
    enabled: !disabled,
    staleTime: 30_000,
  });
  const options = (customers.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (value && knownName && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: knownName });
  }
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      options={options}
      loading={customers.isFetching}
      disabled={disabled}
      placeholder={t("deals.field.customerPlaceholder")}
      data-testid="deal-form-customer"
    />
  );
}

/** Searchable picker over active products; answers the chosen product. */
export function ProductSelect({ value, onPick, testId }: { value?: string | null; onPick: (product: Product | null) => void; testId?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const products = useProductOptions(q);
  const list = products.data?.data ?? [];
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      value={value ?? undefined}
      onChange={(id?: string) => onPick(list.find((p) => p.id === id) ?? null)}
      options={list.map((p) => ({ value: p.id, label: p.code ? `${p.name} (${p.code})` : p.name }))}
      placeholder={t("deals.lines.productPlaceholder")}
      style={{ width: "100%" }}
      data-testid={testId}
    />
  );
}
