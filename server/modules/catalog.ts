// Every module that registers entities with the permission catalog, imported for its side
// effect. Seeding roles, syncing admin grants and the route guard all see the same catalog.
import './approvals/approvals.permissions';
import './contracts/contracts.permissions';
import './customers/customers.permissions';
import './deals/deals.permissions';
import './leads/leads.permissions';
import './payments/payments.permissions';
import './pools/pools.permissions';
import './targets/targets.permissions';
import './workspace/workspace.routes';
import '../jobs/jobs.permissions';
