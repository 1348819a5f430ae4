import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';
import * as m0002 from './0002-customers';
import * as m0003ContactsFollowups from './0003-contacts-followups';
import * as m0004JobsImports from './0004-jobs-imports';
import * as m0005Search from './0005-search';
import * as m0006ListIndexes from './0006-list-indexes';
import * as m0007Deals from './0007-deals';
import * as m0008Leads from './0008-leads';
import * as m0009Pools from './0009-pools';
import * as m0010Contracts from './0010-contracts';
import * as m0011Payments from './0011-payments';
import * as m0012ListSortKeys from './0012-list-sort-keys';
import * as m0013ImportSpeed from './0013-import-speed';
import * as m0016SearchPending from './0016-search-pending';
import * as m0017TimelineMoney from './0017-timeline-money';
import * as m0018OwnerIndexDiet from './0018-owner-index-diet';
import * as m0019ContactsBin from './0019-contacts-bin';
import * as m0020RoleDefaultsApplied from './0020-role-defaults-applied';
import * as m0021NameSortKey from './0021-name-sort-key';
import * as m0022RecordVersions from './0022-record-versions';
import * as m0023FollowUpAuthorOrder from './0023-follow-up-author-order';

/** All migrations in order. New ones are appended with the next number; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-customers': m0002,
  '0003-contacts-followups': m0003ContactsFollowups,
  '0004-jobs-imports': m0004JobsImports,
  '0005-search': m0005Search,
  '0006-list-indexes': m0006ListIndexes,
  '0007-deals': m0007Deals,
  '0008-leads': m0008Leads,
  '0009-pools': m0009Pools,
  '0010-contracts': m0010Contracts,
  '0011-payments': m0011Payments,
  '0012-list-sort-keys': m0012ListSortKeys,
  '0013-import-speed': m0013ImportSpeed,
  '0016-search-pending': m0016SearchPending,
  '0017-timeline-money': m0017TimelineMoney,
  '0018-owner-index-diet': m0018OwnerIndexDiet,
  '0019-contacts-bin': m0019ContactsBin,
  '0020-role-defaults-applied': m0020RoleDefaultsApplied,
  '0021-name-sort-key': m0021NameSortKey,
  '0022-record-versions': m0022RecordVersions,
  '0023-follow-up-author-order': m0023FollowUpAuthorOrder,
};
