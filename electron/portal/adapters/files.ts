import fs from 'node:fs';
import path from 'node:path';
import { readSheet } from '../../imports/spreadsheet';
import { romeMoment } from '../../calendar/rome-time';
import type { OutboundAck, OutboundBatch } from '../contract';
import { PortalTransportError, type InboundPage, type PortalAdapter } from './adapter';

/**
 * The exchange-folder adapter, for portals that only import and export files (issue 13).
 *
 *   <cartella>/inbound/*.csv|*.xlsx      the portal drops the families' events: one event per row
 *   <cartella>/inbound/elaborati/        files whose every row the office recorded
 *   <cartella>/inbound/scartati/         files refused whole, each with `<file>.motivo.txt` (Italian)
 *   <cartella>/outbound/<lotto>.json|csv the office's batches (the contract's OutboundBatch)
 *
 * The same events as the REST API, the same idempotency: the `id` column is the event's id, and a
 * file read twice (the office stopped before moving it) records nothing twice. A file is moved to
 * `elaborati/` only after all its rows are recorded. Rows whose values are wrong (an unknown pupil, a
 * malformed date) are NOT refused here: they reach the office's review queue with the reason, like
 * a wrong event from the API. A file is refused whole only when it cannot be read as events at all
 * (not a spreadsheet, no `id`/`tipo` columns, a row without id or type).
 *
 * Diet requests with their attachments cannot travel in a spreadsheet: an enrollment row carries
 * no diets (the family sends the certificate to the office, or the portal uses the API).
 *
 * The portal must write a file under another name (e.g. `.part`) and rename it when complete:
 * only `.csv` and `.xlsx` names are read.
 */

export interface FileAdapterOptions {
  folder: string;
  outboundFormat?: 'json' | 'csv';
  /** the moment a refused file's reason is written (the runner's clock) */
  now?: () => Date;
}

export const INBOUND_DIR = 'inbound';
export const PROCESSED_DIR = path.join('inbound', 'elaborati');
export const REFUSED_DIR = path.join('inbound', 'scartati');
export const OUTBOUND_DIR = 'outbound';

/** The Italian names of the event types in the `tipo` column (the contract's names are accepted too). */
export const FILE_EVENT_TYPES: Record<string, string> = {
  iscrizione: 'enrollment',
  rinnovo: 'enrollment',
  disdetta: 'cancellation',
  annullamento_disdetta: 'cancellationUndo',
  disdetta_primo_giorno_utile: 'nextDayCancellation',
  assenza_prolungata: 'prolongedAbsence',
  riattivazione: 'reactivation',
  pasto_in_bianco: 'plainMeal',
  variazione_dati: 'personalData',
  ricarica: 'topUp',
  segnalazione: 'supportRequest',
};
const CONTRACT_TYPES = new Set(Object.values(FILE_EVENT_TYPES));

/** The columns of the agreed layout (README «Portale delle famiglie»): header name → what it carries. */
export const FILE_COLUMNS = [
  'id', 'tipo', 'momento', 'canale', 'codice_fiscale_alunno', 'data', 'dal', 'in_bianco',
  'nome_alunno', 'cognome_alunno', 'data_nascita_alunno', 'anno_scolastico', 'id_scuola', 'classe', 'giorni', 'rinnovo',
  'nome_pagante', 'cognome_pagante', 'codice_fiscale_pagante', 'email', 'cellulare',
  'via', 'civico', 'cap', 'comune', 'provincia', 'nazione',
  'pagamento', 'iban', 'intestatario_iban', 'codice_fiscale_intestatario',
  'servizio', 'iuv', 'importo', 'pagato_il', 'contatto', 'oggetto', 'messaggio',
] as const;
type Column = (typeof FILE_COLUMNS)[number];

const normalizeHeader = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

class RefusedFile extends Error {}

const WEEKDAY_NAMES: Record<string, number> = { lun: 1, mar: 2, mer: 3, gio: 4, ven: 5 };

/** A file's moment: ISO 8601 with offset as it is, or «07/12/2026 09:10» / «2026-12-07 09:10» in Rome time. */
export function fileMoment(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return text;
  const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  const parts = it ? [it[3], it[2], it[1], it[4], it[5], it[6]] : iso ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]] : null;
  if (!parts) return text; // left as it is: the contract's check sends the event to review, with the reason
  const [y, m, d, hh, mm, ss] = parts;
  try {
    return romeMoment(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, `${hh.padStart(2, '0')}:${mm}:${ss ?? '00'}`).toISOString();
  } catch {
    return text;
  }
}

/** «12,50», «12.50», «1.250,00», «€ 20» → cents; anything else is left as text (to review). */
export function fileCents(text: string): number | string {
  const t = text.replace(/€|\s/g, '');
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t) ?? /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return text;
  return Number(m[1].replace(/\./g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

function fileBoolean(text: string): boolean | string {
  const t = text.toLowerCase();
  if (['si', 'sì', 'vero', 'true', '1', 'x'].includes(t)) return true;
  if (['no', 'falso', 'false', '0'].includes(t)) return false;
  return text;
}

function fileWeekdays(text: string): unknown {
  const parts = text.toLowerCase().split(/[\s,;/-]+/).filter(Boolean);
  const days = parts.map((p) => (/^\d$/.test(p) ? Number(p) : WEEKDAY_NAMES[p.slice(0, 3)]));
  return days.every((d) => d !== undefined) ? days : text;
}

/** One row of the agreed layout → an event of the contract (unchecked: the inbound side judges it). */
export function rowToEvent(get: (c: Column) => string | undefined): Record<string, unknown> {
  const v = (c: Column) => {
    const s = get(c);
    return s === undefined || s === '' ? undefined : s;
  };
  const typeText = (v('tipo') ?? '').toLowerCase().replace(/\s+/g, '_');
  const type = FILE_EVENT_TYPES[typeText] ?? (CONTRACT_TYPES.has(v('tipo') ?? '') ? v('tipo')! : typeText);
  const e: Record<string, unknown> = {
    id: v('id'),
    type,
    occurredAt: v('momento') && fileMoment(v('momento')!),
    channel: (v('canale') ?? 'portale').toLowerCase(),
  };
  const address = () =>
    v('via') || v('cap') || v('comune')
      ? { street: v('via') ?? '', streetNumber: v('civico'), postcode: v('cap') ?? '', town: v('comune') ?? '', province: v('provincia'), country: v('nazione') ?? 'IT' }
      : undefined;
  switch (type) {
    case 'cancellation':
    case 'cancellationUndo':
      Object.assign(e, { pupilTaxCode: v('codice_fiscale_alunno'), date: v('data') });
      break;
    case 'nextDayCancellation':
      Object.assign(e, { pupilTaxCode: v('codice_fiscale_alunno') });
      break;
    case 'prolongedAbsence':
    case 'reactivation':
      Object.assign(e, { pupilTaxCode: v('codice_fiscale_alunno'), from: v('dal') ?? v('data') });
      break;
    case 'plainMeal':
      Object.assign(e, { pupilTaxCode: v('codice_fiscale_alunno'), date: v('data'), plain: v('in_bianco') === undefined ? true : fileBoolean(v('in_bianco')!) });
      break;
    case 'personalData': {
      const payer = v('codice_fiscale_pagante') ? { taxCode: v('codice_fiscale_pagante'), email: v('email'), mobile: v('cellulare'), address: address() } : undefined;
      const pupil = v('nome_alunno') || v('cognome_alunno') ? { firstName: v('nome_alunno'), lastName: v('cognome_alunno') } : undefined;
      Object.assign(e, { pupilTaxCode: v('codice_fiscale_alunno'), payer, pupil });
      break;
    }
    case 'topUp':
      Object.assign(e, {
        pupilTaxCode: v('codice_fiscale_alunno'),
        service: v('servizio') ?? 'mensa',
        iuv: v('iuv'),
        amountCents: v('importo') === undefined ? undefined : fileCents(v('importo')!),
        payerTaxCode: v('codice_fiscale_pagante'),
        paidAt: v('pagato_il') ? fileMoment(v('pagato_il')!) : e.occurredAt,
      });
      break;
    case 'supportRequest':
      Object.assign(e, {
        pupilTaxCode: v('codice_fiscale_alunno'),
        payerTaxCode: v('codice_fiscale_pagante'),
        contact: v('contatto'),
        subject: v('oggetto'),
        message: v('messaggio'),
      });
      break;
    case 'enrollment': {
      const idScuola = v('id_scuola');
      Object.assign(e, {
        renewal: typeText === 'rinnovo' ? true : v('rinnovo') === undefined ? false : fileBoolean(v('rinnovo')!),
        schoolYear: v('anno_scolastico'),
        pupil: { firstName: v('nome_alunno'), lastName: v('cognome_alunno'), taxCode: v('codice_fiscale_alunno'), birthDate: v('data_nascita_alunno') },
        schoolId: idScuola !== undefined && /^\d+$/.test(idScuola) ? Number(idScuola) : idScuola,
        className: v('classe'),
        weekdays: v('giorni') === undefined ? undefined : fileWeekdays(v('giorni')!),
        payer: { firstName: v('nome_pagante'), lastName: v('cognome_pagante'), taxCode: v('codice_fiscale_pagante'), email: v('email') ?? '', mobile: v('cellulare') ?? '', address: address() },
        paymentMethod: (v('pagamento') ?? 'prepagato').toLowerCase(),
        sdd: v('iban') ? { iban: v('iban'), holderName: v('intestatario_iban') ?? '', holderTaxCode: v('codice_fiscale_intestatario') ?? v('codice_fiscale_pagante') ?? '' } : undefined,
        diets: [],
      });
      break;
    }
  }
  // undefined fields out: the JSON recorded is what the row said
  return JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
}

/** The events of one inbound file; RefusedFile (Italian reason) when it cannot be read as events. */
/** The largest file read from the exchange folder (the pupil import takes files up to about the same size). */
export const MAX_EXCHANGE_FILE_BYTES = 50 * 1024 * 1024;

export async function readInboundFile(fileName: string, content: Buffer): Promise<unknown[]> {
  let sheet;
  try {
    sheet = await readSheet(fileName, content);
  } catch (err) {
    throw new RefusedFile(`Il file non si legge come foglio di calcolo: ${err instanceof Error ? err.message : String(err)}`);
  }
  const index = new Map<string, number>();
  sheet.columns.forEach((c, i) => {
    const n = normalizeHeader(c);
    if (n && !index.has(n)) index.set(n, i);
  });
  const missing = (['id', 'tipo', 'momento'] as const).filter((c) => !index.has(c));
  if (missing.length > 0) throw new RefusedFile(`Mancano le colonne obbligatorie: ${missing.join(', ')} (prima riga: i nomi delle colonne)`);
  const unknown = [...index.keys()].filter((k) => !(FILE_COLUMNS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new RefusedFile(`Colonne sconosciute: ${unknown.join(', ')} (le colonne ammesse sono descritte nel README)`);
  const problems: string[] = [];
  const events: unknown[] = [];
  const ids = new Set<string>();
  for (const row of sheet.rows) {
    const get = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? undefined : row.cells[i];
    };
    if (row.cells.every((c) => c === '')) continue;
    const id = get('id') ?? '';
    if (id === '') problems.push(`riga ${row.row}: manca l'id dell'evento`);
    else if (id.length > 100) problems.push(`riga ${row.row}: l'id è più lungo di 100 caratteri`);
    else if (ids.has(id)) {
      continue; // the same event twice in one file: recorded once anyway
    }
    if ((get('tipo') ?? '') === '') problems.push(`riga ${row.row}: manca il tipo dell'evento`);
    ids.add(id);
    events.push(rowToEvent(get));
  }
  if (problems.length > 0) throw new RefusedFile(`Righe senza id o tipo (senza id l'evento non si può riconoscere se arriva di nuovo): ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? ` e altre ${problems.length - 20}` : ''}`);
  return events;
}

function moveAside(file: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(file);
  let target = path.join(dir, base);
  for (let i = 2; fs.existsSync(target); i++) target = path.join(dir, `${path.parse(base).name}-${i}${path.extname(base)}`);
  fs.renameSync(file, target);
  return target;
}

const csvCell = (s: string) => (/[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function fileAdapter(options: FileAdapterOptions): PortalAdapter {
  const root = options.folder;
  const now = options.now ?? (() => new Date());
  const inboundDir = path.join(root, INBOUND_DIR);

  function pendingFiles(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(inboundDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        if (!fs.existsSync(root)) throw new PortalTransportError(`La cartella di scambio non esiste o non è raggiungibile: ${root}`, true);
        return [];
      }
      throw new PortalTransportError(`La cartella di scambio non si legge: ${(err as Error).message}`, true);
    }
    return names
      .filter((n) => /\.(csv|xlsx)$/i.test(n) && !n.startsWith('~$') && !n.startsWith('.'))
      .filter((n) => fs.statSync(path.join(inboundDir, n)).isFile())
      .sort((a, b) => a.localeCompare(b, 'it'));
  }

  return {
    kind: 'file',
    async fetchInbound(): Promise<InboundPage> {
      const warnings: string[] = [];
      for (;;) {
        const files = pendingFiles();
        if (files.length === 0) return { events: [], nextCursor: null, hasMore: false, label: 'nessun file', warnings };
        const name = files[0];
        const file = path.join(inboundDir, name);
        try {
          // never read a whole file of any size into the main process's memory
          const size = fs.statSync(file).size;
          if (size > MAX_EXCHANGE_FILE_BYTES) {
            throw new RefusedFile(`Il file è di ${Math.round(size / (1024 * 1024))} MB, oltre il limite di ${MAX_EXCHANGE_FILE_BYTES / (1024 * 1024)} MB: dividerlo in più file`);
          }
          const events = await readInboundFile(name, fs.readFileSync(file));
          return {
            events,
            nextCursor: null,
            hasMore: files.length > 1,
            label: name,
            warnings,
            done: () => {
              moveAside(file, path.join(root, PROCESSED_DIR));
            },
          };
        } catch (err) {
          if (!(err instanceof RefusedFile)) throw err;
          const target = moveAside(file, path.join(root, REFUSED_DIR));
          warnings.push(`File ${name} scartato (spostato in inbound/scartati): ${err.message}`.slice(0, 1000));
          fs.writeFileSync(
            `${target}.motivo.txt`,
            `File: ${name}\nScartato il: ${now().toISOString()}\nMotivo: ${err.message}\n\nNessuna riga di questo file è stata registrata. Correggere il file e depositarlo di nuovo nella cartella inbound.\n`,
          );
        }
      }
    },
    publish(batch: OutboundBatch): Promise<OutboundAck> {
      const dir = path.join(root, OUTBOUND_DIR);
      try {
        fs.mkdirSync(dir, { recursive: true });
        const format = options.outboundFormat ?? 'json';
        const target = path.join(dir, `${batch.batchId}.${format}`);
        const text =
          format === 'json'
            ? JSON.stringify(batch, null, 2)
            : ['id;chiave;tipo;pubblicato;dati', ...batch.events.map((e) => [e.id, e.key, e.type, e.publishedAt, JSON.stringify(e)].map(csvCell).join(';'))].join('\r\n') + '\r\n';
        // written beside and renamed: the portal never reads half a batch
        const tmp = `${target}.part`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, target);
      } catch (err) {
        return Promise.reject(new PortalTransportError(`Impossibile scrivere il lotto nella cartella di scambio: ${(err as Error).message}`, true));
      }
      return Promise.resolve({ accepted: batch.events.map((e) => e.id), rejected: [] });
    },
  };
}
