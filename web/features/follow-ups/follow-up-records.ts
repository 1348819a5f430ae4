/**
 * The follow-up records page's filters (跟进记录), as they live in the URL and as the list query
 * GET /follow-ups (and a follow-up export) takes them.
 */
export interface RecordFilters {
  /** Words the content contains. */
  q: string;
  /** Written on or after this day (YYYY-MM-DD, the user's own calendar). */
  from: string | null;
  /** Written on or before this day. */
  to: string | null;
  types: string[];
  /** Authors. */
  ownerIds: string[];
  /** What they are about: customer, contact, deal, lead (none: all). */
  entities: RecordEntity[];
}

export const recordEntities = ["customer", "contact", "deal", "lead"] as const;
export type RecordEntity = (typeof recordEntities)[number];

function entitiesOf(value: string | null): RecordEntity[] {
  return listOf(value).filter((v): v is RecordEntity => (recordEntities as readonly string[]).includes(v));
}

const day = /^\d{4}-\d{2}-\d{2}$/;

function dayOrNull(value: string | null): string | null {
  return value && day.test(value) ? value : null;
}

function listOf(value: string | null): string[] {
  return (value ?? "").split(",").filter((v) => v !== "");
}

export function decodeRecordFilters(params: URLSearchParams): RecordFilters {
  return {
    q: params.get("q") ?? "",
    from: dayOrNull(params.get("from")),
    to: dayOrNull(params.get("to")),
    types: listOf(params.get("type")),
    ownerIds: listOf(params.get("owner")),
    entities: entitiesOf(params.get("about")),
  };
}

export function encodeRecordFilters(filters: RecordFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim() !== "") {
    params.set("q", filters.q);
  }
  if (filters.from) {
    params.set("from", filters.from);
  }
  if (filters.to) {
    params.set("to", filters.to);
  }
  if (filters.types.length > 0) {
    params.set("type", filters.types.join(","));
  }
  if (filters.ownerIds.length > 0) {
    params.set("owner", filters.ownerIds.join(","));
  }
  if (filters.entities.length > 0) {
    params.set("about", filters.entities.join(","));
  }
  return params;
}

/**
 * The API's filter: days become instants at the start and end of the user's own day (a day alone
 * would be read as a UTC day by the server, off by the time zone at both ends).
 */
export function recordsQuery(filters: RecordFilters): Record<string, string> {
  const query: Record<string, string> = {};
  const q = filters.q.trim();
  if (q !== "") {
    query.q = q;
  }
  if (filters.from) {
    query["createdAt[gte]"] = new Date(`${filters.from}T00:00:00`).toISOString();
  }
  if (filters.to) {
    query["createdAt[lte]"] = new Date(`${filters.to}T23:59:59.999`).toISOString();
  }
  if (filters.types.length > 0) {
    query["type[in]"] = filters.types.join(",");
  }
  if (filters.ownerIds.length > 0) {
    query["ownerId[in]"] = filters.ownerIds.join(",");
  }
  if (filters.entities.length > 0) {
    query["entity[in]"] = filters.entities.join(",");
  }
  return query;
}
