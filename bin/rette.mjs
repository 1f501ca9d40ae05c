#!/usr/bin/env node
// The `rette` command: runs the TypeScript CLI through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/rette.ts');
