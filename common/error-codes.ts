/**
 * The stable error codes of the API. `status` is the one place codes map to HTTP;
 * messages are the default problem titles per language (details may add specifics).
 */
export const errorCatalog = {
  validation_failed: { status: 400, en: 'Invalid request', zh: '请求参数无效' },
  bad_request: { status: 400, en: 'Bad request', zh: '请求无效' },
  unknown_filter: { status: 400, en: 'Unknown filter or sort field', zh: '未知的筛选或排序字段' },
  unauthenticated: { status: 401, en: 'Sign-in required', zh: '请先登录' },
  invalid_credentials: { status: 401, en: 'Wrong email or password', zh: '邮箱或密码错误' },
  invalid_api_key: { status: 401, en: 'Invalid or revoked API key', zh: 'API 密钥无效或已吊销' },
  session_expired: { status: 401, en: 'Your session has expired', zh: '会话已过期，请重新登录' },
  wrong_password: { status: 400, en: 'The current password is wrong', zh: '当前密码不正确' },
  forbidden: { status: 403, en: 'You do not have permission to do this', zh: '没有权限执行此操作' },
  csrf_failed: { status: 403, en: 'Missing or invalid CSRF token', zh: 'CSRF 令牌缺失或无效' },
  field_forbidden: { status: 403, en: 'You may not change one of these fields', zh: '无权修改其中的字段' },
  not_found: { status: 404, en: 'Not found', zh: '记录不存在' },
  method_not_allowed: { status: 405, en: 'Method not allowed', zh: '不支持的请求方法' },
  conflict: { status: 409, en: 'Conflict', zh: '数据冲突' },
  approval_pending: { status: 409, en: 'This record already has an approval in progress', zh: '该记录已有审批正在进行' },
  approval_decided: { status: 409, en: 'This approval has already been decided or withdrawn', zh: '该审批已处理或已撤回' },
  approval_no_flow: { status: 422, en: 'No approval flow applies to this record', zh: '没有适用于该记录的审批流程' },
  approval_needs_user: { status: 422, en: 'Submitting for approval needs an active user: use an API key created by the user who should submit', zh: '提交审批需要一位在职用户：请使用由提交人本人创建的 API 密钥' },
  contract_state: { status: 409, en: "Not allowed in the contract's current status", zh: '合同当前状态不允许此操作' },
  contract_has_payments: { status: 409, en: 'The contract has approved or pending payments: withdraw or reject the pending ones and delete the approved ones before voiding it', zh: '合同存在已通过或审批中的回款：请先撤回或驳回审批中的回款、删除已通过的回款，再作废合同' },
  number_taken: { status: 409, en: 'This number is already in use', zh: '编号已被使用' },
  lead_converted: { status: 409, en: 'The lead has been converted and is read-only', zh: '线索已转化，不可再修改' },
  duplicate_customer: { status: 409, en: 'A matching customer already exists; attach to it or confirm creating a new one', zh: '已存在相同的客户，请关联已有客户或确认新建' },
  setup_done: { status: 409, en: 'Setup has already been completed', zh: '系统已完成初始化' },
  email_taken: { status: 409, en: 'This email is already in use', zh: '该邮箱已被使用' },
  department_not_empty: { status: 409, en: 'The department still has sub-departments or members', zh: '该部门下仍有子部门或成员' },
  role_in_use: { status: 409, en: 'The role is still assigned to users or API keys', zh: '该角色仍被用户或 API 密钥使用' },
  name_taken: { status: 409, en: 'This name is already in use', zh: '名称已被使用' },
  request_in_progress: { status: 409, en: 'A request with this Idempotency-Key is still being processed', zh: '相同幂等键的请求正在处理中' },
  version_mismatch: { status: 412, en: 'The record was changed by someone else', zh: '记录已被他人修改，请刷新后重试' },
  payload_too_large: { status: 413, en: 'Request body too large', zh: '请求内容过大' },
  unsupported_media_type: { status: 415, en: 'Unsupported content type', zh: '不支持的内容类型' },
  password_policy: { status: 422, en: 'The password does not meet the policy', zh: '密码不符合安全要求' },
  department_cycle: { status: 422, en: 'A department cannot be moved under itself', zh: '部门不能移动到自身或其下级之下' },
  manager_cycle: { status: 422, en: 'The manager chain would form a loop', zh: '上级关系将形成循环' },
  role_protected: { status: 422, en: 'The administrator role cannot be reduced or deleted', zh: '管理员角色不可删减或删除' },
  last_admin: { status: 422, en: 'The last active administrator cannot be removed', zh: '不能移除最后一位启用的管理员' },
  self_action: { status: 422, en: 'You cannot do this to your own account', zh: '不能对自己的账号执行此操作' },
  idempotency_mismatch: { status: 422, en: 'This Idempotency-Key was used for a different request', zh: '该幂等键已用于另一个不同的请求' },
  business_rule: { status: 422, en: 'Business rule violated', zh: '违反业务规则' },
  customer_not_in_pool: { status: 409, en: 'The customer is no longer in this pool (someone else may have taken it)', zh: '该客户已不在此公海中（可能已被他人领取）' },
  not_pool_member: { status: 403, en: 'You are not a member of this pool', zh: '您不是该公海的成员' },
  claim_quota_exceeded: { status: 422, en: 'You have used up your claims from this pool for today', zh: '今日在该公海的领取次数已用完' },
  claim_cooldown: { status: 422, en: 'You owned this customer recently and cannot claim it back yet', zh: '您近期曾负责该客户，冷却期内不能重新领取' },
  ownership_limit_reached: { status: 422, en: 'The owner would have more customers than allowed', zh: '负责人的客户数将超过上限' },
  lock_limit_reached: { status: 422, en: 'The owner would have more locked customers than allowed', zh: '负责人锁定的客户数将超过上限' },
  payment_exceeds_contract: { status: 422, en: 'Approved and pending payments would exceed the contract total', zh: '已回款与审批中回款合计将超过合同金额' },
  payment_plan_exceeds_contract: { status: 422, en: 'The payment plans would add up to more than the contract total', zh: '回款计划合计将超过合同金额' },
  rate_limited: { status: 429, en: 'Too many requests, try again later', zh: '请求过于频繁，请稍后再试' },
  account_locked: { status: 429, en: 'Too many failed sign-ins; the account is temporarily locked', zh: '登录失败次数过多，账号已临时锁定' },
  internal: { status: 500, en: 'Internal server error', zh: '服务器内部错误' },
  unavailable: { status: 503, en: 'Service unavailable', zh: '服务暂不可用' },
} as const satisfies Record<string, { status: number; en: string; zh: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export function errorStatus(code: ErrorCode): number {
  return errorCatalog[code].status;
}
