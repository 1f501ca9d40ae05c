#!/usr/bin/env node
// `npm run bench`: runs the TypeScript benchmarks (bench/run.ts) through tsx, like bin/rette.mjs.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
