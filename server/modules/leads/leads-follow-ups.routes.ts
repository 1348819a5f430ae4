import { recordFollowUpRoutes } from '../follow-ups/follow-ups.record-routes';
import './leads.permissions';
import { createLeadFollowUp, deleteLeadFollowUp, leadFollowUpSchema, listLeadFollowUps, openLeadFollowUpFile, updateLeadFollowUp } from './leads.follow-ups';

/** Follow-ups 跟进 on a lead (they move to the customer when the lead is converted). */
export const leadFollowUpsRoutes = recordFollowUpRoutes({
  base: '/leads',
  noun: 'a lead',
  tags: ['Leads'],
  view: 'lead:view',
  schema: leadFollowUpSchema,
  service: { list: listLeadFollowUps, create: createLeadFollowUp, update: updateLeadFollowUp, remove: deleteLeadFollowUp, openFile: openLeadFollowUpFile },
});
