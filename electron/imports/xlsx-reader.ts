/**
 * Reads the first sheet of an .xlsx: only what an import needs (cell text, dates).
 *
 * The zip is read with yauzl under the limits of `sheet-limits.ts` (bytes counted as they are
 * inflated), and every XML part is read by a strict XML tokenizer (`xml-tokenizer.ts`,
 * well-formedness checked; namespaces resolved here) as it is inflated, so the sheet is never held
 * whole in memory. Anything the reader does not expect (an unknown cell type, a reference past
 * Excel's last column, rows out of order, a DOCTYPE, a missing part) stops the reading with an
 * Italian message: it never guesses and never silently returns nothing.
 *
 * Why not exceljs: it builds a full object model of the workbook (styles, fonts, formulas…) and
 * takes seconds for a 10,000-row export, most of an import's time, and its zip library inflates
 * without limits. This reader gives the same cell text as exceljs (a test compares them on files
 * written by exceljs and by LibreOffice).
 */
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { XmlTokenizer, type XmlTag } from './xml-tokenizer';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROW, refusals, sheetRefused, type SheetLimits } from './sheet-limits';
import { openZip, type ZipArchive } from './zip-entries';

/** [spreadsheet row number, cell texts] of every row with at least one non-empty cell. */
export type GridLines = [number, string[]][];

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const STRICT_MAIN_NS = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const DOC_REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
const STRICT_REL_TYPE = 'http://purl.oclc.org/ooxml/officeDocument/relationships/';

/** Excel's own limit on the characters of a cell. */
const MAX_CELL_CHARS = 32_767;

const damaged = (part: string, what: string) => sheetRefused(`Il file Excel è danneggiato: ${what} (parte «${part.slice(0, 60)}»)`);

const STRICT_REFUSAL =
  'Il file è nel formato «Strict Open XML», che il programma non legge: salvarlo come «Cartella di lavoro di Excel (.xlsx)» e riprovare';

/**
 * An element as the handlers see it: its namespace URI and local name, whatever prefix the file
 * chose (`<c>`, `<x:c>`). One object is reused for every element: handlers read it, never keep it.
 */
interface Tag {
  uri: string;
  local: string;
  name: string;
  attributes: Record<string, string>;
  /** the attribute `local` in namespace `uri` (`r:id`, `ns2:id`…: the prefix is the file's choice) */
  nsAttr(uri: string, local: string): string | undefined;
}

interface PartHandlers {
  /** the part's root element (in the transitional main namespace) and what to say when it is another */
  root?: { local: string; otherwise: (tag: Tag) => string };
  /** every element below the root (with no `root`: every element) */
  open(tag: Tag): void;
  close?(tag: Tag): void;
  text?(text: string): void;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Streams one XML part through the tokenizer (it replaced saxes, which it matches event for event,
 * at about twice saxes's speed). Namespaces are resolved here: a scope is pushed only by the
 * elements that declare one. A DOCTYPE (entity tricks), a non-UTF-8 encoding, an undeclared
 * prefix or any well-formedness error refuses the file, and so does a root element other than the expected one
 * (a Strict OOXML file, in the other main namespace, with its own message).
 */
async function readPart(zip: ZipArchive, part: string, h: PartHandlers): Promise<void> {
  const parser = new XmlTokenizer();
  let scope = new Map<string, string>([
    ['', ''],
    ['xml', XML_NS],
  ]);
  const saved: (Map<string, string> | null)[] = [];
  const root = h.root;
  let rootPending = root !== undefined;
  const resolve = (prefix: string): string => {
    const uri = scope.get(prefix);
    if (uri === undefined) throw damaged(part, `prefisso di namespace non dichiarato «${prefix.slice(0, 20)}»`);
    return uri;
  };
  const tag: Tag = {
    uri: '',
    local: '',
    name: '',
    attributes: {},
    nsAttr(uri, local) {
      for (const key in this.attributes) {
        const colon = key.indexOf(':');
        if (colon > 0 && key.slice(colon + 1) === local && key.slice(0, colon) !== 'xmlns' && resolve(key.slice(0, colon)) === uri) return this.attributes[key];
      }
      return undefined;
    },
  };
  const fill = (t: XmlTag) => {
    const colon = t.name.indexOf(':');
    tag.name = t.name;
    tag.local = colon < 0 ? t.name : t.name.slice(colon + 1);
    tag.uri = resolve(colon < 0 ? '' : t.name.slice(0, colon));
    tag.attributes = t.attributes;
  };
  parser.on('error', (e) => {
    throw damaged(part, `XML non valido (${String(e.message).replace(/^[^:]*:\d+:\d+: /, '').slice(0, 80)})`);
  });
  parser.on('doctype', () => {
    throw damaged(part, 'contiene una dichiarazione DOCTYPE, che un foglio Excel non ha');
  });
  parser.on('xmldecl', (d) => {
    if (d.encoding && !/^utf-?8$/i.test(d.encoding)) throw sheetRefused(`Il file Excel usa la codifica «${d.encoding.slice(0, 20)}» invece di UTF-8: salvarlo di nuovo con Excel o LibreOffice`);
  });
  parser.on('opentag', (t) => {
    let declared: Map<string, string> | null = null;
    for (const key in t.attributes) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) {
        declared ??= new Map(scope);
        declared.set(key === 'xmlns' ? '' : key.slice(6), t.attributes[key]);
      }
    }
    saved.push(declared ? scope : null);
    if (declared) scope = declared;
    fill(t);
    if (root && rootPending) {
      rootPending = false;
      if (tag.uri === STRICT_MAIN_NS) throw sheetRefused(STRICT_REFUSAL);
      if (tag.uri !== MAIN_NS || tag.local !== root.local) throw damaged(part, root.otherwise(tag));
      return;
    }
    h.open(tag);
  });
  parser.on('closetag', (t) => {
    if (h.close) {
      fill(t);
      h.close(tag);
    }
    const previous = saved.pop();
    if (previous) scope = previous;
  });
  if (h.text) {
    const onText = (s: string) => h.text!(s);
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  const decoder = new StringDecoder('utf8');
  await zip.inflate(part, (chunk) => parser.write(decoder.write(chunk)));
  parser.write(decoder.end());
  parser.close();
}

function attr(tag: Tag, name: string): string | undefined {
  return tag.attributes[name];
}

interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

/** The relationships of `source` (its `_rels/<name>.rels`), targets resolved to zip paths. */
async function relationships(zip: ZipArchive, source: string): Promise<Map<string, Relationship>> {
  const dir = path.posix.dirname(source);
  const relsPart = path.posix.join(dir === '.' ? '' : dir, '_rels', `${path.posix.basename(source)}.rels`);
  const out = new Map<string, Relationship>();
  if (!zip.names.has(relsPart)) return out;
  await readPart(zip, relsPart, {
    open(t) {
      if (t.local !== 'Relationship') return;
      if (t.uri !== PKG_REL_NS) throw damaged(relsPart, 'relazioni in un formato sconosciuto');
      const id = attr(t, 'Id');
      const target = attr(t, 'Target');
      const type = attr(t, 'Type') ?? '';
      if (!id || target === undefined) throw damaged(relsPart, 'relazione senza Id o Target');
      const external = attr(t, 'TargetMode') === 'External';
      const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, target));
      out.set(id, { type, target: resolved, external });
    },
  });
  return out;
}

function relOfType(rels: Map<string, Relationship>, kind: string): Relationship | undefined {
  for (const r of rels.values()) {
    if (r.type === REL_TYPE + kind) return r;
    if (r.type === STRICT_REL_TYPE + kind) throw sheetRefused(STRICT_REFUSAL);
  }
  return undefined;
}

/** The part a relationship points at, if it is inside the zip. */
function internalPart(zip: ZipArchive, r: Relationship, what: string): string {
  if (r.external || r.target.startsWith('../') || !zip.names.has(r.target)) {
    throw sheetRefused(`Il file Excel è incompleto: ${what} non si trova nel file`);
  }
  return r.target;
}

/** Concatenated text of the <t> elements of an <si> or <is> (rich-text runs included, phonetic hints left out). */
class RichText {
  private depthRph = 0;
  private inT = false;
  private buf = '';
  constructor(private readonly ns: string) {}
  open(t: Tag): void {
    if (t.uri !== this.ns) return;
    if (t.local === 'rPh') this.depthRph++;
    else if (t.local === 't' && this.depthRph === 0) this.inT = true;
  }
  close(t: Tag): void {
    if (t.uri !== this.ns) return;
    if (t.local === 'rPh') this.depthRph--;
    else if (t.local === 't') this.inT = false;
  }
  text(s: string): void {
    if (this.inT) this.buf += s;
  }
  take(): string {
    const s = this.buf;
    this.buf = '';
    this.inT = false;
    this.depthRph = 0;
    return s;
  }
}

/** The OOXML `_xHHHH_` escapes (characters XML cannot hold), decoded as exceljs does. */
function unescapeOoxml(s: string): string {
  return s.indexOf('_x') >= 0 ? s.replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

async function readSharedStrings(zip: ZipArchive, part: string): Promise<string[]> {
  const out: string[] = [];
  const rich = new RichText(MAIN_NS);
  let inSi = false;
  await readPart(zip, part, {
    root: { local: 'sst', otherwise: () => 'non è la tabella dei testi del foglio' },
    open(t) {
      if (t.uri === MAIN_NS && t.local === 'si') {
        inSi = true;
        rich.take();
      } else if (inSi) rich.open(t);
    },
    close(t) {
      if (t.uri === MAIN_NS && t.local === 'si') {
        inSi = false;
        out.push(unescapeOoxml(rich.take()));
      } else if (inSi) rich.close(t);
    },
    text(s) {
      if (inSi) rich.text(s);
    },
  });
  return out;
}

/** Built-in number formats that are dates or times (the ones exceljs knows, plus the East-Asian date ids). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Same rule as exceljs: a date format has y m d h s (or b) outside quotes and brackets. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** For each cell style index, whether its number format shows a date. */
async function readDateStyles(zip: ZipArchive, part: string): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  await readPart(zip, part, {
    open(t) {
      if (t.uri !== MAIN_NS) {
        if (t.uri === STRICT_MAIN_NS) throw sheetRefused(STRICT_REFUSAL);
        return;
      }
      if (t.local === 'numFmt') {
        const id = Number(attr(t, 'numFmtId'));
        const code = attr(t, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (t.local === 'cellXfs') inCellXfs = true;
      else if (t.local === 'xf' && inCellXfs) xfs.push(Number(attr(t, 'numFmtId') ?? 0));
    },
    close(t) {
      if (t.uri === MAIN_NS && t.local === 'cellXfs') inCellXfs = false;
    },
  });
  return xfs.map((id) => {
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id);
  });
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Excel serial day → 'YYYY-MM-DD', with exceljs's arithmetic (UTC, rounded to the millisecond). */
function serialToIso(serial: number, date1904: boolean): string {
  const d = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** 'AB12' → [27, 12] (0-based column, row); refuses what is not a cell reference of Excel's grid. */
export function parseCellRef(ref: string, part: string): [number, number] {
  // the usual reference (capital letters, then the row number) without the regular expression
  let i = 0;
  let column = 0;
  for (let c = ref.charCodeAt(0); c >= 65 && c <= 90 && i < 3; c = ref.charCodeAt(++i)) column = column * 26 + (c - 64);
  if (i > 0 && ref.length - i >= 1 && ref.length - i <= 7 && column <= EXCEL_MAX_COLUMNS) {
    let line = 0;
    let j = i;
    for (let d = ref.charCodeAt(j) - 48; d >= 0 && d <= 9; d = ref.charCodeAt(++j) - 48) line = line * 10 + d;
    if (j === ref.length && line >= 1 && line <= EXCEL_MAX_ROW) return [column - 1, line];
  }
  const m = /^\$?([A-Za-z]+)\$?([0-9]+)$/.exec(ref);
  if (!m) throw damaged(part, `riferimento di cella non valido «${ref.slice(0, 20)}»`);
  const letters = m[1].toUpperCase();
  if (letters.length > 3) throw refusals.columnBeyondExcel(ref);
  let col = 0;
  for (let i = 0; i < letters.length; i++) col = col * 26 + (letters.charCodeAt(i) - 64);
  if (col > EXCEL_MAX_COLUMNS) throw refusals.columnBeyondExcel(ref);
  const row = m[2].length > 7 ? Infinity : Number(m[2]);
  if (row < 1 || row > EXCEL_MAX_ROW) throw refusals.rowBeyondExcel(ref);
  return [col - 1, row];
}

const CELL_TYPES = new Set(['n', 's', 'str', 'inlineStr', 'b', 'e', 'd']);

/** Reads the worksheet part: the rows of cells, checked against the limits as they come. */
async function readWorksheet(
  zip: ZipArchive,
  part: string,
  shared: readonly string[],
  dates: readonly boolean[],
  date1904: boolean,
  limits: SheetLimits,
): Promise<GridLines> {
  const lines: GridLines = [];
  const maxColumns = Math.min(limits.maxColumns, EXCEL_MAX_COLUMNS);
  let cellsHeld = 0;
  let inSheetData = false;
  let rowNumber = 0;
  let cells: string[] | null = null;
  let lastCol = -1;
  // the cell being read
  let cellCol = -1;
  let cellType = 'n';
  let cellStyle = -1;
  let cellRef = '';
  let inV = false;
  let v: string | null = null;
  let inIs = false;
  const rich = new RichText(MAIN_NS);

  const finishCell = () => {
    let text = '';
    if (cellType === 'inlineStr') text = inIs || v === null ? unescapeOoxml(rich.take()) : '';
    else if (v !== null) {
      const raw = v;
      switch (cellType) {
        case 's': {
          const i = Number(raw);
          if (!Number.isInteger(i) || i < 0 || i >= shared.length) throw damaged(part, `la cella ${cellRef || '?'} rimanda a un testo che non esiste (${raw.slice(0, 12)})`);
          text = shared[i];
          break;
        }
        case 'str':
          text = unescapeOoxml(raw);
          break;
        case 'b':
          text = raw === '1' || raw === 'true' ? 'VERO' : 'FALSO';
          break;
        case 'e':
          text = '';
          break;
        case 'd':
          if (!/^\d{4}-\d{2}-\d{2}/.test(raw)) throw damaged(part, `data non valida nella cella ${cellRef || '?'}`);
          text = raw.slice(0, 10);
          break;
        default: {
          if (raw.trim() === '') break;
          const n = Number(raw);
          if (!Number.isFinite(n)) throw damaged(part, `la cella numerica ${cellRef || '?'} contiene «${raw.slice(0, 20)}»`);
          text = cellStyle >= 0 && dates[cellStyle] ? serialToIso(n, date1904) : String(n);
        }
      }
    }
    if (text.length > MAX_CELL_CHARS) throw sheetRefused(`La cella ${cellRef || '?'} supera i ${MAX_CELL_CHARS.toLocaleString('it-IT')} caratteri che Excel ammette: il file è danneggiato`);
    text = text.trim();
    if (text === '') return;
    const row = cells!;
    if (cellCol >= row.length) {
      cellsHeld += cellCol + 1 - row.length;
      if (cellsHeld > limits.maxCells) throw refusals.tooManyCells(limits.maxCells);
      while (row.length < cellCol) row.push('');
      row.push(text);
    } else row[cellCol] = text;
  };

  await readPart(zip, part, {
    root: { local: 'worksheet', otherwise: (t) => `il primo foglio non è una tabella di celle (<${t.name.slice(0, 30)}>)` },
    open(t) {
      if (t.uri !== MAIN_NS) return;
      if (!inSheetData) {
        if (t.local === 'sheetData') inSheetData = true;
        return;
      }
      if (cells === null) {
        if (t.local !== 'row') throw damaged(part, `elemento <${t.name.slice(0, 30)}> fuori da una riga`);
        const r = attr(t, 'r');
        let n = rowNumber + 1;
        if (r !== undefined) {
          n = /^[0-9]{1,7}$/.test(r) ? Number(r) : NaN;
          if (!(n >= 1 && n <= EXCEL_MAX_ROW)) throw refusals.rowBeyondExcel(r);
        }
        if (n <= rowNumber) throw damaged(part, `la riga ${n} viene dopo la riga ${rowNumber}`);
        rowNumber = n;
        cells = [];
        lastCol = -1;
        return;
      }
      if (cellCol < 0) {
        if (t.local !== 'c') throw damaged(part, `elemento <${t.name.slice(0, 30)}> inatteso nella riga ${rowNumber}`);
        cellRef = attr(t, 'r') ?? '';
        let col = lastCol + 1;
        if (cellRef) {
          const [c, r] = parseCellRef(cellRef, part);
          if (r !== rowNumber) throw damaged(part, `la cella ${cellRef} è scritta nella riga ${rowNumber}`);
          col = c;
        }
        if (col >= maxColumns) throw col >= EXCEL_MAX_COLUMNS ? refusals.columnBeyondExcel(cellRef || `colonna ${col + 1}`) : refusals.tooManyColumns(maxColumns);
        if (col <= lastCol) throw damaged(part, `le celle della riga ${rowNumber} non sono in ordine (${cellRef})`);
        lastCol = col;
        cellCol = col;
        cellType = attr(t, 't') ?? 'n';
        if (!CELL_TYPES.has(cellType)) throw damaged(part, `tipo di cella sconosciuto «${cellType.slice(0, 12)}» in ${cellRef || `riga ${rowNumber}`}`);
        const s = attr(t, 's');
        cellStyle = s === undefined ? -1 : Number(s);
        v = null;
        inV = false;
        inIs = false;
        rich.take();
        return;
      }
      // inside a cell
      if (t.local === 'v') {
        inV = true;
        v = '';
      } else if (t.local === 'is') inIs = true;
      else if (inIs) rich.open(t);
    },
    close(t) {
      if (t.uri !== MAIN_NS || !inSheetData) return;
      if (cellCol >= 0) {
        if (t.local === 'c') {
          finishCell();
          cellCol = -1;
        } else if (t.local === 'v') inV = false;
        else if (t.local === 'is') inIs = false;
        else if (inIs) rich.close(t);
        return;
      }
      if (t.local === 'row' && cells) {
        if (cells.length) {
          if (lines.length >= limits.maxRows) throw refusals.tooManyRows(limits.maxRows);
          lines.push([rowNumber, cells]);
        }
        cells = null;
      } else if (t.local === 'sheetData') inSheetData = false;
    },
    text(s) {
      if (cellCol < 0) return;
      if (inV) {
        v += s;
        if (v!.length > MAX_CELL_CHARS * 2) throw sheetRefused(`La cella ${cellRef || '?'} supera i ${MAX_CELL_CHARS.toLocaleString('it-IT')} caratteri che Excel ammette: il file è danneggiato`);
      } else if (inIs) rich.text(s);
    },
  });
  return lines;
}

/** The first sheet (in tab order) and whether dates count from 1904, from the workbook part. */
async function readWorkbook(zip: ZipArchive, part: string): Promise<{ sheetRelId: string; date1904: boolean }> {
  let sheetRelId: string | null = null;
  let date1904 = false;
  await readPart(zip, part, {
    root: { local: 'workbook', otherwise: () => 'non è una cartella di lavoro di Excel' },
    open(t) {
      if (t.uri !== MAIN_NS) return;
      if (t.local === 'workbookPr') {
        const v = attr(t, 'date1904');
        date1904 = v === '1' || v === 'true';
      } else if (t.local === 'sheet' && sheetRelId === null) {
        sheetRelId = t.nsAttr(DOC_REL_NS, 'id') ?? null;
        if (!sheetRelId) throw damaged(part, 'il primo foglio non ha il riferimento alla sua parte');
      }
    },
  });
  if (sheetRelId === null) throw sheetRefused('Il file Excel non contiene fogli');
  return { sheetRelId, date1904 };
}

/** The first sheet of an .xlsx, as rows of trimmed cell texts (see `GridLines`). */
export async function readXlsx(content: Buffer, limits: SheetLimits): Promise<GridLines> {
  const zip = await openZip(content, limits);
  try {
    const pkgRels = await relationships(zip, '');
    if (!zip.names.has('_rels/.rels')) throw sheetRefused('Il file non è un foglio Excel .xlsx leggibile (manca l\'indice delle parti: è danneggiato o di un altro formato?)');
    const docRel = relOfType(pkgRels, 'officeDocument');
    if (!docRel) throw sheetRefused('Il file non è un foglio Excel .xlsx leggibile (non contiene una cartella di lavoro)');
    const workbookPart = internalPart(zip, docRel, 'la cartella di lavoro');
    const { sheetRelId, date1904 } = await readWorkbook(zip, workbookPart);
    const rels = await relationships(zip, workbookPart);
    const sheetRel = rels.get(sheetRelId);
    if (!sheetRel) throw sheetRefused('Il file Excel è incompleto: il primo foglio non si trova nel file');
    if (sheetRel.type !== REL_TYPE + 'worksheet') {
      throw sheetRefused('Il primo foglio del file non è una tabella di celle (è un grafico o una finestra di dialogo?): spostare la tabella al primo posto');
    }
    const sheetPart = internalPart(zip, sheetRel, 'il primo foglio');
    const sharedRel = relOfType(rels, 'sharedStrings');
    const shared = sharedRel ? await readSharedStrings(zip, internalPart(zip, sharedRel, 'la tabella dei testi')) : [];
    const stylesRel = relOfType(rels, 'styles');
    const dates = stylesRel ? await readDateStyles(zip, internalPart(zip, stylesRel, 'la tabella degli stili')) : [];
    return await readWorksheet(zip, sheetPart, shared, dates, date1904, limits);
  } finally {
    zip.close();
  }
}
