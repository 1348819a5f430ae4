import { DeleteOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Segmented } from "antd";
import { useTranslation } from "react-i18next";

/** The sort after switching between a list and its recycle bin: the bin opens newest-deleted first, and that sort does not follow back. */
export function sortAfterBinSwitch(toBin: boolean, sort: string, defaultSort: string): string {
  if (toBin && sort === defaultSort) {
    return "-deletedAt";
  }
  if (!toBin && sort === "-deletedAt") {
    return defaultSort;
  }
  return sort;
}

/** List ↔ recycle bin 回收站 switch of a list page; labels `<list>.live` / `<list>.recycleBin`, test ids `<list>-live` / `<list>-bin`. */
export function BinToggle({ list, deleted, onChange }: { list: "customers" | "contacts"; deleted: boolean; onChange: (deleted: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Segmented<"live" | "bin">
      value={deleted ? "bin" : "live"}
      onChange={(value) => onChange(value === "bin")}
      options={[
        { value: "live", icon: <UnorderedListOutlined />, label: <span data-testid={`${list}-live`}>{t(`${list}.live`)}</span> },
        { value: "bin", icon: <DeleteOutlined />, label: <span data-testid={`${list}-bin`}>{t(`${list}.recycleBin`)}</span> },
      ]}
    />
  );
}
