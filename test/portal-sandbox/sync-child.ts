/**
 * One sync run in a process of its own, for the kill-and-restart test (test/unit/portal/runner-kill.test.ts):
 *   node --import tsx test/portal-sandbox/sync-child.ts <db file> <data dir> [ms to linger after each event]
 * It prints «registrato N» after each event recorded (so the test knows when to SIGKILL it in the
 * middle of a page) and «ESECUZIONE <json>» with the run's record at the end.
 */
import { openDatabase } from '../../db/open';
import { systemClock } from '../../electron/platform/clock';
import { fileSecretStore } from '../../electron/portal/adapters/credentials';
import { createPortalSync } from '../../electron/portal/sync-service';

const [dbFile, dataDir, linger] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));
const database = openDatabase(dbFile);
const quiet = { info() {}, warn() {}, error() {} };
const runner = createPortalSync(
  { db: database.db, sqlite: database.sqlite, clock: systemClock, logger: quiet, secrets: fileSecretStore(dataDir) },
  {
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
    afterEventRecorded: (n) => {
      process.stdout.write(`registrato ${n}\n`);
      if (linger) Atomics.wait(pause, 0, 0, Number(linger));
    },
  },
);
const run = await runner.runNow('manuale');
process.stdout.write(`ESECUZIONE ${JSON.stringify(run)}\n`);
database.close();
