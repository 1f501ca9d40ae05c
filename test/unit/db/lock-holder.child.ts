/**
 * Child process for the lock test: takes the shared "in use" lock WITHOUT keeping a reference to it,
 * forces garbage collection (node --expose-gc), says READY and waits to be killed.
 *   node --expose-gc --import tsx lock-holder.child.ts <database>
 */
import { acquireDatabaseLock } from '../../../db/open';

const [file] = process.argv.slice(2);
acquireDatabaseLock(file, 'shared');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('serve node --expose-gc');
for (let i = 0; i < 5; i++) gc();
process.stdout.write('READY\n');
setInterval(() => {}, 60_000);
