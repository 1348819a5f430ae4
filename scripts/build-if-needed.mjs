import { ensureWebBuilt } from './web-build.mjs';

ensureWebBuilt({ quiet: false });
