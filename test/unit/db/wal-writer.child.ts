/**
 * Child process for the restore tests: opens the database as the app does (holding the "in use"
 * lock), commits `rows` settings rows one transaction each in WAL mode with automatic checkpoints
 * off, says COMMITTED on stdout and then waits to be killed (the tests use SIGKILL, so SQLite never
 * checkpoints: the committed rows live only in the -wal file).
 *   node --import tsx wal-writer.child.ts <database> <rows> <prefix>
 */
import { openDatabase } from '../../../db/open';

const [file, rows, prefix] = process.argv.slice(2);
const db = openDatabase(file);
db.sqlite.pragma('wal_autocheckpoint = 0');
const insert = db.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
for (let i = 0; i < Number(rows); i++) insert.run(`${prefix}-${i}`, `riga ${i}`);
process.stdout.write('COMMITTED\n');
// the timer keeps `db` reachable: a module variable no closure uses is not kept alive by V8, and
// better-sqlite3 closes (and checkpoints) a collected connection, which a live app never does
setInterval(() => db.sqlite.open, 60_000);
