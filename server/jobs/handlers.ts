// Every module that registers job handlers, imported for its side effect, so that whichever
// runner starts (haoke serve, runJobsUntilIdle in tests) knows every job kind.
import '../modules/exports/exports.job';
import '../modules/imports/imports.job';
