/**
 * Every kind of entry on a customer's 360° timeline. This one list types what the server writes
 * (timeline.writer.ts and the timeline_events column), what `GET /customers/:id/timeline?kind=`
 * accepts (anything else is a 400, not an empty page) and the web's filter groups — so a new kind is
 * added here, once, and cannot be written without being filterable.
 */
export const timelineKinds = [
  // The customer itself.
  'created',
  'field_change',
  'owner_change',
  'follow_up',
  'comment',
  'contact_added',
  'deleted',
  'restored',
  'merged',
  'locked',
  'unlocked',
  'collaborators_changed',
  // Deals.
  'deal_created',
  'deal_stage_changed',
  'deal_won',
  'deal_lost',
  'deal_invalid',
  'deal_reopened',
  'deal_deleted',
  'deal_owner_change',
  // Contracts.
  'contract_created',
  'contract_submitted',
  'contract_approved',
  'contract_rejected',
  'contract_withdrawn',
  'contract_voided',
  // Payments 回款.
  'payment_recorded',
  'payment_approved',
  'payment_rejected',
  'payment_withdrawn',
  'payment_deleted',
  // Leads.
  'lead_converted',
] as const;

export type TimelineKind = (typeof timelineKinds)[number];

const known: ReadonlySet<string> = new Set(timelineKinds);

export function isTimelineKind(value: string): value is TimelineKind {
  return known.has(value);
}
