import { legacyRows, toCsv, toXlsx } from '../test/fixtures/import-sheet';
import { readSheet } from '../electron/imports/spreadsheet';
import { checkSheet, writeImport, planOf } from '../electron/imports/commit';
import { suggestMapping } from '../electron/imports/targets';
import { openDatabase } from '../db/open';
import fs from 'node:fs';
import { rawInsertForTest } from './imports.bench';
const rows = legacyRows(10000, { classes: ['3A', '3B', '4A'] });
const files: [string, Buffer][] = [['a.csv', toCsv(rows)], ['a.xlsx', await toXlsx(rows)]];
function fresh(i: number) {
  const f = `/tmp/prof/db${i}.sqlite`; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, {force: true});
  const db = openDatabase(f);
  const now = new Date().toISOString();
  db.sqlite.exec(`INSERT INTO municipalities (name, province, cutoff_time, created_at, updated_at) VALUES ('Clusone','BG','09:30','${now}','${now}');
  INSERT INTO school_years (label, starts_on, ends_on, created_at) VALUES ('2026/2027','2026-09-01','2027-06-30','${now}');
  INSERT INTO schools (municipality_id, name, kind, created_at, updated_at) VALUES (1,'Primaria Clusone','primaria','${now}','${now}');
  INSERT INTO classes (school_id, school_year_id, name, created_at) VALUES (1,1,'3A','${now}'),(1,1,'3B','${now}'),(1,1,'4A','${now}');`);
  return db;
}
const cpu = () => { const c = process.cpuUsage(); return () => { const d = process.cpuUsage(c); return (d.user + d.system) / 1000; }; };
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(0);
for (const [name, buf] of files) {
  const r: number[] = [], c: number[] = [], w: number[] = [];
  for (let i = 0; i < 7; i++) {
    const db = fresh(i);
    let s = cpu(); const sheet = await readSheet(name, buf); r.push(s());
    s = cpu(); const plan = planOf(checkSheet(db.sqlite, '2026-07-10', sheet, suggestMapping(sheet.columns), null)); c.push(s());
    s = cpu(); db.sqlite.transaction(() => writeImport(db.sqlite, new Date().toISOString(), '2026-07-10', plan))(); w.push(s());
    db.close();
  }
  const fl: number[] = [];
  for (let i = 0; i < 7; i++) { const db = fresh(20 + i); const s = cpu(); rawInsertForTest(db.sqlite, rows); fl.push(s()); db.close(); }
  console.log('floor', med(fl));
  console.log(name, 'read', med(r), 'check', med(c), 'write', med(w));
}
