/**
 * Where importable entities are loaded: each file registers its adapter with
 * registerImportEntity at module load. Adding an entity = one line here (see docs/import-export.md).
 */
import './imports.contacts';
import './imports.customers';
import '../leads/leads.import';
