import { SearchOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { AutoComplete, Flex, Typography } from "antd";
import type { AutoCompleteProps } from "antd";
import { useRef, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { matchRanges } from "./highlight";
import { firstHitOf, searchQueryOptions, useGlobalSearch } from "./search-api";
import type { ContactHit, CustomerHit, DealHit } from "./search-api";

/** Marks every occurrence of `term` in `text` (matchRanges: case-insensitive, phone digits however spaced). */
function Highlight({ text, term }: { text: string; term: string }) {
  const ranges = matchRanges(text, term);
  if (ranges.length === 0) {
    return text;
  }
  const parts: ReactNode[] = [];
  let from = 0;
  for (const [start, end] of ranges) {
    parts.push(text.slice(from, start));
    parts.push(
      <mark key={start} style={{ padding: 0, background: "#ffe58f" }}>
        {text.slice(start, end)}
      </mark>,
    );
    from = end;
  }
  parts.push(text.slice(from));
  return <>{parts}</>;
}

function details(...values: (string | null | undefined)[]): string {
  return values.filter((value) => value).join(" · ");
}

function CustomerOption({ hit, term }: { hit: CustomerHit; term: string }) {
  return (
    <Flex vertical data-testid="search-result-customer" data-id={hit.id}>
      <Typography.Text>
        <Highlight text={hit.name} term={term} />
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Highlight text={details(hit.phone, hit.email, hit.ownerName)} term={term} />
      </Typography.Text>
    </Flex>
  );
}

function ContactOption({ hit, term }: { hit: ContactHit; term: string }) {
  return (
    <Flex vertical data-testid="search-result-contact" data-id={hit.id}>
      <Typography.Text>
        <Highlight text={hit.name} term={term} />
        {hit.customerName ? <Typography.Text type="secondary"> · {hit.customerName}</Typography.Text> : null}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Highlight text={details(hit.phone, hit.email)} term={term} />
      </Typography.Text>
    </Flex>
  );
}

function DealOption({ hit, term }: { hit: DealHit; term: string }) {
  return (
    <Flex vertical data-testid="search-result-deal" data-id={hit.id}>
      <Typography.Text>
        <Highlight text={hit.name} term={term} />
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Highlight text={details(hit.customerName, hit.stageName, hit.ownerName)} term={term} />
      </Typography.Text>
    </Flex>
  );
}

/** The header's search box: customers, contacts and deals by name, phone or email; Enter opens the first hit. */
export function GlobalSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const q = useDebouncedValue(text.trim(), 250);
  const search = useGlobalSearch(q);
  // Until the answer for what is typed now arrives, no result is offered, so Enter never opens
  // a hit of an earlier search term.
  const pending = text.trim() !== q || search.isPlaceholderData || search.isPending;
  const results = pending ? undefined : search.data;
  const customers = results?.customers ?? [];
  const contacts = results?.contacts ?? [];
  const deals = results?.deals ?? [];

  // The box shows the best few; the list (which reads `q` from its URL) has them all, with filters.
  const groupLabel = (list: "customers" | "contacts", name: string) => (
    <Flex justify="space-between" align="center">
      <span data-testid={`search-group-${list}`}>{name}</span>
      <Typography.Link
        style={{ fontSize: 12 }}
        data-testid={`search-all-${list}`}
        // Before the box closes on blur.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => go(`all:${list}`)}
      >
        {t("search.viewAll")}
      </Typography.Link>
    </Flex>
  );

  const options: AutoCompleteProps["options"] =
    text.trim() === ""
      ? []
      : customers.length === 0 && contacts.length === 0 && deals.length === 0
        ? [
            {
              value: "__none",
              disabled: true,
              label: pending ? (
                <Typography.Text type="secondary" data-testid="search-searching">
                  {t("search.searching")}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary" data-testid="search-no-results">
                  {t("search.noResults")}
                </Typography.Text>
              ),
            },
          ]
        : [
            ...(customers.length > 0
              ? [
                  {
                    label: groupLabel("customers", t("search.customersGroup")),
                    options: customers.map((hit) => ({
                      value: `customer:${hit.id}`,
                      label: <CustomerOption hit={hit} term={q} />,
                    })),
                  },
                ]
              : []),
            ...(contacts.length > 0
              ? [
                  {
                    label: groupLabel("contacts", t("search.contactsGroup")),
                    options: contacts.map((hit) => ({
                      value: `contact:${hit.customerId}:${hit.id}`,
                      label: <ContactOption hit={hit} term={q} />,
                    })),
                  },
                ]
              : []),
            ...(deals.length > 0
              ? [
                  {
                    label: <span data-testid="search-group-deals">{t("search.deals", { count: deals.length })}</span>,
                    options: deals.map((hit) => ({
                      value: `deal:${hit.id}`,
                      label: <DealOption hit={hit} term={q} />,
                    })),
                  },
                ]
              : []),
          ];

  // Enter pressed before the answer came: open the first hit once it does, unless the text changes.
  const enterPending = useRef(false);

  const go = (value: string) => {
    const [kind, id] = value.split(":");
    if (kind === "all" && id) {
      setText("");
      setOpen(false);
      void navigate(`/${id}?q=${encodeURIComponent(q)}`);
    } else if ((kind === "customer" || kind === "contact") && id) {
      setText("");
      setOpen(false);
      void navigate(`/customers/${id}`);
    } else if (kind === "deal" && id) {
      setText("");
      setOpen(false);
      void navigate(`/deals?deal=${encodeURIComponent(id)}`);
    }
  };

  const enterEarly = async (term: string) => {
    enterPending.current = true;
    try {
      const answer = await queryClient.fetchQuery(searchQueryOptions(term));
      const first = firstHitOf(answer);
      if (enterPending.current && first) {
        go(first);
      }
    } catch {
      // The dropdown shows the failure when the regular search runs.
    } finally {
      enterPending.current = false;
    }
  };

  return (
    <AutoComplete
      value={text}
      onChange={(value: string) => {
        enterPending.current = false;
        setText(value);
        setOpen(true);
      }}
      onKeyDown={(event) => {
        if (event.key === "Enter" && pending && text.trim() !== "") {
          void enterEarly(text.trim());
        }
      }}
      onSelect={(value: string) => go(value)}
      options={options}
      open={open && text.trim() !== ""}
      onOpenChange={setOpen}
      showSearch={{ filterOption: false }}
      defaultActiveFirstOption
      popupMatchSelectWidth={360}
      prefix={<SearchOutlined />}
      allowClear
      placeholder={t("search.placeholder")}
      style={{ width: 320 }}
      data-testid="global-search"
      aria-label={t("search.placeholder")}
    />
  );
}
