import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDatabaseLock, DatabaseBusyError, openDatabase } from '../../../db/open';

const ROOT = path.resolve(__dirname, '../../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('blocco "database in uso"', () => {
  it('resta tenuto anche se chi lo ha preso non ne conserva il riferimento (garbage collector)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-lock-'));
    const live = path.join(dir, 'rette.sqlite');
    openDatabase(live).close();
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'test/unit/db/lock-holder.child.ts'), live], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stdout.on('data', (c: Buffer) => String(c).includes('READY') && resolve());
      child.stderr.on('data', (c: Buffer) => (err += String(c)));
      child.on('exit', (code) => reject(new Error(`il processo figlio è uscito (${code}): ${err}`)));
    });
    // the child dropped its reference and collected garbage: its lock must still refuse a restore
    expect(() => acquireDatabaseLock(live, 'exclusive')).toThrow(DatabaseBusyError);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    acquireDatabaseLock(live, 'exclusive').release();
  });
});
