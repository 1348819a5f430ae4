import { registerEntity } from '../../common/permissions';

// Background jobs are an administrator's view (GET /jobs): no seeded role but admin gets it.
registerEntity({ key: 'job', actions: ['view'], scoped: false, fields: [] });
