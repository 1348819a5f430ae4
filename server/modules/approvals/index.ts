// The approval engine's public API for subject modules (contracts, payments, …).
export { type ApprovalActor, submitForApproval, type SubmitInput, type SubmitOptions, type SubmitResult, withdrawApproval } from './approvals.engine';
export { type ApprovalEvent, type ApprovalSubject, type ApprovalSubjectDescription, registerApprovalSubject } from './approvals.registry';
export { approvalView, overseesApprovals } from './approvals.view';
