// Every module that registers job handlers, imported for its side effect, so that whichever
// runner starts (haoke serve, runJobsUntilIdle in tests) knows every job kind.
import '../modules/exports/exports.job';
import '../modules/imports/imports.job';
import '../modules/pools/pools.job';
import './system-jobs';
import '../modules/payments/payments.job';
