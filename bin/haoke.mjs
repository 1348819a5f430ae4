#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so a clone needs no server build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
