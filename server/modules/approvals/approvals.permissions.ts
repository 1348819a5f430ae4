import { registerEntity } from '../../../common/permissions';

// Approval flows are settings: only roles given these (admins by default) configure them, and
// `approvalFlow:view` also lets a role look at any approval of the workspace (oversight).
// Acting on approvals needs no grant: being the step's approver (or the submitter) is the right.
registerEntity({ key: 'approvalFlow', actions: ['view', 'create', 'edit', 'delete'], scoped: false, fields: [] });
