// Every module that registers entities with the permission catalog, imported for its side
// effect. Seeding roles, syncing admin grants and the route guard all see the same catalog.
import './customers/customers.permissions';
import './workspace/workspace.routes';
import '../jobs/jobs.permissions';
