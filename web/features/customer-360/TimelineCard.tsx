import { Button, Card, Empty, Flex, Segmented, Spin, Timeline } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TimelineKind } from "../../../common/timeline-kinds";
import { LoadError } from "../../components/StatusResults";
import { useTimeline } from "./customer-360-api";
import { useUserNames } from "../customers/user-directory";
import { useFollowUpsById } from "../follow-ups/follow-ups-api";
import type { Contact, Customer, CustomerOverview } from "./customer-360-types";
import { useCustomerFieldFormat } from "./field-format";
import { TimelineItemContent, timelineColor, timelineIcon } from "./TimelineItem";
import type { TimelineLookups } from "./TimelineItem";


/**
 * Filter groups → the `kind` list sent to the server. Typed by the server's own list of kinds: the
 * server answers 400 to a kind it never writes, so a group cannot ask for one.
 */
const FILTERS = {
  all: [],
  follow_up: ["follow_up"],
  comment: ["comment"],
  changes: ["field_change", "owner_change"],
  system: ["created", "contact_added", "deleted", "restored", "merged", "locked", "unlocked", "collaborators_changed"],
} as const satisfies Record<string, readonly TimelineKind[]>;

type FilterKey = keyof typeof FILTERS;

export function TimelineCard({
  customer,
  overview,
  overviewAt,
  contacts,
}: {
  customer: Customer;
  overview: CustomerOverview;
  overviewAt: number;
  contacts: Contact[];
}) {
  const customerId = customer.id;
  const { t } = useTranslation();
  const [filter, setFilter] = useState<FilterKey>("all");
  const timeline = useTimeline(customerId, FILTERS[filter].join(","), overview, overviewAt);
  const format = useCustomerFieldFormat(contacts);
  const entries = useMemo(() => timeline.data?.pages.flatMap((page) => page.data) ?? [], [timeline.data]);
  const followUpIds = useMemo(() => {
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = entry.data?.followUpId;
      if (typeof id === "string" && id !== "") {
        ids.add(id);
      }
    }
    return [...ids];
  }, [entries]);
  const followUps = useFollowUpsById(customerId, followUpIds);

  // User ids the entries mention (new owners, team members, @mentions) that carry no name.
  const referencedUsers = useMemo(() => {
    const ids = new Set<string>();
    for (const entry of entries) {
      const data = entry.data ?? {};
      if (entry.kind === "owner_change" && typeof data.to === "string" && typeof data.toName !== "string") {
        ids.add(data.to);
      }
      for (const list of [data.collaborators, data.mentions]) {
        if (Array.isArray(list)) {
          for (const item of list) {
            const id = typeof item === "string" ? item : (item as { userId?: unknown } | null)?.userId;
            if (typeof id === "string") {
              ids.add(id);
            }
          }
        }
      }
    }
    return [...ids].sort();
  }, [entries]);
  const directory = useUserNames(referencedUsers);

  const lookups = useMemo<TimelineLookups>(() => {
    const users = new Map<string, string>(directory);
    for (const entry of entries) {
      if (entry.actorUserId && entry.actorName) {
        users.set(entry.actorUserId, entry.actorName);
      }
    }
    if (customer.ownerId && customer.ownerName) {
      users.set(customer.ownerId, customer.ownerName);
    }
    return {
      format,
      contactName: (id) => contacts.find((contact) => contact.id === id)?.name ?? null,
      userName: (id) => users.get(id) ?? null,
      followUp: (id) => followUps.get(id) ?? null,
    };
  }, [contacts, customer.ownerId, customer.ownerName, directory, entries, followUps, format]);

  const body = () => {
    if (timeline.isError && entries.length === 0) {
      return <LoadError onRetry={() => void timeline.refetch()} />;
    }
    if (timeline.isPending) {
      return (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      );
    }
    if (entries.length === 0) {
      return <Empty description={t("customer360.timeline.empty")} data-testid="timeline-empty" />;
    }
    return (
      <>
        <Timeline
          data-testid="timeline-list"
          items={entries.map((entry) => ({
            key: entry.id,
            color: timelineColor(entry.kind),
            icon: timelineIcon(entry.kind),
            content: <TimelineItemContent entry={entry} lookups={lookups} />,
          }))}
        />
        {timeline.hasNextPage ? (
          <Flex justify="center">
            <Button
              onClick={() => void timeline.fetchNextPage()}
              loading={timeline.isFetchingNextPage}
              data-testid="timeline-load-more"
            >
              {t("common.loadMore")}
            </Button>
          </Flex>
        ) : null}
      </>
    );
  };

  return (
    <Card
      title={t("customer360.timeline.title")}
      data-testid="timeline-card"
      extra={
        <Segmented<FilterKey>
          size="small"
          value={filter}
          onChange={setFilter}
          data-testid="timeline-filter"
          options={(Object.keys(FILTERS) as FilterKey[]).map((key) => ({
            value: key,
            label: <span data-testid={`timeline-filter-${key}`}>{t(`customer360.timeline.filter.${key}`)}</span>,
          }))}
        />
      }
    >
      {body()}
    </Card>
  );
}
