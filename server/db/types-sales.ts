// Tables of the sales area (issue 4). Each feature adds its own `<Feature>Tables` interface in its
// own types file and lists it here, so parallel work never edits the same lines.

import type { ContractsTables } from './types-contracts';
import type { DealsTables } from './types-deals';
import type { LeadsTables } from './types-leads';
import type { PaymentsTables } from './types-payments';
import type { PoolsTables } from './types-pools';

export interface SalesTables extends DealsTables, ContractsTables, LeadsTables, PaymentsTables, PoolsTables {}
