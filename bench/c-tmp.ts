import { legacyRows, toCsv } from '../test/fixtures/import-sheet';
import { readSheet } from '../electron/imports/spreadsheet';
import { checkSheet } from '../electron/imports/commit';
import { suggestMapping } from '../electron/imports/targets';
import { openDatabase } from '../db/open';
import fs from 'node:fs';
const f = `/tmp/prof/dbc.sqlite`; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, {force: true});
const db = openDatabase(f);
const now = new Date().toISOString();
db.sqlite.exec(`INSERT INTO municipalities (name, province, cutoff_time, created_at, updated_at) VALUES ('Clusone','BG','09:30','${now}','${now}');
INSERT INTO school_years (label, starts_on, ends_on, created_at) VALUES ('2026/2027','2026-09-01','2027-06-30','${now}');
INSERT INTO schools (municipality_id, name, kind, created_at, updated_at) VALUES (1,'Primaria Clusone','primaria','${now}','${now}');`);
const sheet = await readSheet('a.csv', toCsv(legacyRows(10000)));
const mapping = suggestMapping(sheet.columns);
const ts: number[] = [];
for (let i = 0; i < 12; i++) { const c = process.cpuUsage(); checkSheet(db.sqlite, "2026-07-10", sheet, mapping, null); const d = process.cpuUsage(c); ts.push((d.user + d.system) / 1000); }
ts.sort((a, b) => a - b); console.log('check median', ts[6].toFixed(0), 'min', ts[0].toFixed(0));
