import { recordFollowUpRoutes } from '../follow-ups/follow-ups.record-routes';
import './deals.permissions';
import { createDealFollowUp, dealFollowUpSchema, deleteDealFollowUp, listDealFollowUps, openDealFollowUpFile, updateDealFollowUp } from './deals.follow-ups';

/** Follow-ups 跟进 on a deal (they also show on its customer's timeline). */
export const dealFollowUpsRoutes = recordFollowUpRoutes({
  base: '/deals',
  noun: 'a deal',
  tags: ['Deals'],
  view: 'deal:view',
  schema: dealFollowUpSchema,
  service: { list: listDealFollowUps, create: createDealFollowUp, update: updateDealFollowUp, remove: deleteDealFollowUp, openFile: openDealFollowUpFile },
});
