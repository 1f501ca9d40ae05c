/**
 * Every benchmark suite `npm run bench` runs, in order. To add one, write
 * `bench/<area>.bench.ts` exporting a `BenchSuite` (see harness.ts) and list it here.
 */
import type { BenchSuite } from './harness';
import { importsBench } from './imports.bench';
import { pupilsListBench } from './pupils-list.bench';
import { dayCloseBench } from './day-close.bench';
import { kitchenBench } from './kitchen.bench';
import { ledgerBench } from './ledger.bench';
import { sddBench } from './sdd.bench';
import { dietsBench } from './diets.bench';
import { debtsBench } from './debts.bench';
import { serverBench } from './server.bench';
import { portalBench } from './portal.bench';

export const suites: BenchSuite[] = [importsBench, pupilsListBench, dayCloseBench, kitchenBench, dietsBench, ledgerBench, sddBench, debtsBench, portalBench, serverBench];
