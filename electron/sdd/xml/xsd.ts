/**
 * XSD validation of a generated bank file before it leaves the app (issue 9: "no file leaves the app
 * that the bank would reject for its format"). libxml2 compiled to WebAssembly (xmllint-wasm): pure
 * JavaScript + WASM, no native build, nothing downloaded at run time; it runs in its own worker
 * thread. The schemas are the copies in resources/sdd-schemas (provenance in its README.md).
 *
 * Measured on 20,000 debits (an 18 MB file): with the library's default memory limit (32 MiB) the
 * whole-document validation fails with "out of memory"; libxml2's streaming validation (`--stream`)
 * stays within it and is faster, so the file is validated as a stream and the limit is raised to
 * 256 MiB as a ceiling (WebAssembly memory grows only as needed).
 *
 * The bank-facing errors are turned into Italian ("riga 73, elemento EndToEndId: il valore è lungo 36
 * caratteri, al massimo 35"); the first five are listed in the AppError `VALIDATION`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML, type XMLValidationError } from 'xmllint-wasm';
import { AppError, invalid } from '../../contract/errors';

/** 'cbi': CBISDDReqLogMsg.00.01.01; 'cbi-busta': the same in the CBIBdySDDReq.00.01.01 envelope; 'pain.008': pain.008.001.08 */
export type SddSchemaFormat = 'cbi' | 'cbi-busta' | 'pain.008';

/** `root`: the document element expected (the envelope's schema also declares the bare logical message, which would pass it) */
const SCHEMAS: Record<SddSchemaFormat, { main: string; imports: string[]; label: string; root: string }> = {
  cbi: { main: 'CBISDDReqLogMsg.00.01.01.xsd', imports: [], label: 'CBI CBISDDReqLogMsg.00.01.01', root: 'CBISDDReqLogMsg' },
  'cbi-busta': { main: 'CBIBdySDDReq.00.01.01.xsd', imports: ['CBISDDReqLogMsg.00.01.01.xsd', 'CBISgnInf.001.04.xsd'], label: 'CBI CBIBdySDDReq.00.01.01', root: 'CBIBdySDDReq' },
  'pain.008': { main: 'pain.008.001.08.xsd', imports: [], label: 'ISO 20022 pain.008.001.08', root: 'Document' },
};

/** The local name of the document element: the first start tag after the declaration, comments and processing instructions. */
export function rootElementName(xml: string): string | null {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i])) i++;
    if (xml.startsWith('\ufeff', i)) i++;
    else if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
    else break;
    if (i < 2) return null;
  }
  if (xml[i] !== '<') return null;
  let j = i + 1;
  while (j < xml.length && !/[\s/>]/.test(xml[j])) j++;
  const qname = xml.slice(i + 1, j);
  return qname.slice(qname.indexOf(':') + 1) || null;
}

export const SCHEMA_FILES = [...new Set(Object.values(SCHEMAS).flatMap((s) => [s.main, ...s.imports]))];

/** Errors listed in the message. */
const SHOWN_ERRORS = 5;
/** WebAssembly memory ceiling for libxml2 (the default, 32 MiB, is too small for the largest batches without streaming). */
const MAX_MEMORY_PAGES = 256 * memoryPages.MiB;

function here(): string | null {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return typeof __dirname === 'string' ? __dirname : null;
  }
}

/** Packaged resources (process.resourcesPath/sdd-schemas), the project's resources/sdd-schemas, or RETTE_SDD_SCHEMAS_DIR. */
export function sddSchemasDir(): string {
  const candidates: (string | undefined)[] = [process.env.RETTE_SDD_SCHEMAS_DIR];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'sdd-schemas'));
  let dir = here();
  for (let i = 0; dir && i < 6; i++) {
    candidates.push(path.join(dir, 'resources', 'sdd-schemas'));
    dir = path.dirname(dir);
  }
  candidates.push(path.resolve('resources', 'sdd-schemas'));
  for (const c of candidates) if (c && SCHEMA_FILES.every((f) => fs.existsSync(path.join(c, f)))) return c;
  throw new AppError('INTERNAL', 'Schemi XSD dei file per la banca non trovati (resources/sdd-schemas): reinstallare il programma');
}

const cache = new Map<string, string>();
function schemaFile(name: string): { fileName: string; contents: string } {
  let contents = cache.get(name);
  if (contents === undefined) {
    contents = fs.readFileSync(path.join(sddSchemasDir(), name), 'utf8');
    cache.set(name, contents);
  }
  return { fileName: name, contents };
}

const local = (qname: string) => qname.replace(/\{[^}]*\}/g, '');
const list = (expected: string) =>
  expected
    .split(',')
    .map((s) => local(s.trim()))
    .filter(Boolean)
    .join(', ');

/** One libxml2 message in Italian; the English text (namespaces removed) when it is not one of the usual ones. */
export function italianXsdError(e: Pick<XMLValidationError, 'message' | 'loc'>): string {
  const where = e.loc ? `riga ${e.loc.lineNumber}` : '';
  const msg = e.message.replace(/^Schemas validity error\s*:\s*/, '');
  const el = /^Element '([^']+)'(?:, attribute '([^']+)')?:\s*(.*)$/s.exec(msg);
  const prefix = (name: string | null) => [where, name ? `elemento ${name}` : ''].filter(Boolean).join(', ');
  if (/parser error/.test(e.message)) return `${where ? `${where}: ` : ''}il file non è un XML ben formato (${e.message.replace(/^.*parser error\s*:\s*/, '').trim()})`;
  if (!el) return `${where ? `${where}: ` : ''}${local(msg)}`;
  const name = local(el[1]) + (el[2] ? ` (attributo ${el[2]})` : '');
  const rest = el[3];
  let m: RegExpExecArray | null;
  let text: string;
  if ((m = /\[facet 'maxLength'\] The value(?: '.*')? has a length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'/s.exec(rest))) text = `il valore è lungo ${m[1]} caratteri, al massimo ${m[2]}`;
  else if ((m = /\[facet 'minLength'\] The value(?: '.*')? has a length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'/s.exec(rest))) text = m[1] === '0' ? 'il valore è vuoto' : `il valore è lungo ${m[1]} caratteri, almeno ${m[2]}`;
  else if ((m = /\[facet 'fractionDigits'\] The value '(.*)' has more fractional digits than are allowed \('(\d+)'\)/s.exec(rest))) text = `l'importo «${m[1]}» ha più di ${m[2]} decimali`;
  else if ((m = /\[facet 'totalDigits'\] The value '(.*)' has more digits than are allowed/s.exec(rest))) text = `il numero «${m[1]}» ha troppe cifre`;
  else if ((m = /\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}/s.exec(rest))) text = `il valore «${m[1]}» non è ammesso (ammessi: ${m[2].replace(/'/g, '')})`;
  else if ((m = /\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern/s.exec(rest))) text = `il valore «${m[1]}» non ha il formato richiesto`;
  else if ((m = /\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value allowed \('(.*)'\)/s.exec(rest))) text = `il valore «${m[1]}» è minore del minimo (${m[2]})`;
  else if ((m = /This element is not expected\. Expected is(?: one of)? \((.*)\)/s.exec(rest))) text = `non previsto in questa posizione (atteso: ${list(m[1])})`;
  else if (/This element is not expected/.test(rest)) text = 'non previsto in questa posizione';
  else if ((m = /Missing child element\(s\)\. Expected is(?: one of)? \((.*)\)/s.exec(rest))) text = `incompleto: manca ${list(m[1])}`;
  else if ((m = /'(.*)' is not a valid value of the (?:local )?atomic type(?: '([^']*)')?/s.exec(rest))) text = `il valore «${m[1]}» non è valido${m[2] ? ` (tipo ${local(m[2])})` : ''}`;
  else if (/No matching global declaration available for the validation root/.test(rest)) text = 'non è l\'elemento radice di questo tipo di file';
  else if ((m = /The attribute '([^']+)' is required but missing/.exec(rest))) text = `manca l'attributo ${m[1]}`;
  else text = local(rest);
  return `${prefix(name)}: ${text}`;
}

/**
 * Validates a generated bank file against its XSD. Resolves when valid; otherwise throws an AppError
 * `VALIDATION` whose message lists the first errors in Italian (so the file is never written).
 */
export async function validateSddXml(xml: string, format: SddSchemaFormat): Promise<void> {
  const schema = SCHEMAS[format];
  if (!schema) throw new AppError('INTERNAL', `Formato di file per la banca sconosciuto: ${String(format)}`);
  let result;
  try {
    result = await validateXML({
      xml: { fileName: 'distinta.xml', contents: xml },
      schema: [schemaFile(schema.main)],
      preload: schema.imports.map(schemaFile),
      stream: true,
      maxMemoryPages: MAX_MEMORY_PAGES,
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const detail = err instanceof Error ? err.message.split('\n')[0].replace(/^distinta\.xml:(\d+):/, 'riga $1:') : String(err);
    const e = new AppError('INTERNAL', `Il file per la banca non si è potuto controllare sullo schema ${schema.label} e non è stato scritto (${detail})`);
    (e as Error & { cause?: unknown }).cause = err;
    throw e;
  }
  if (result.valid) {
    const root = rootElementName(xml);
    if (root === schema.root) return;
    const message = `Il file per la banca non è del tipo ${schema.label} (elemento radice ${root ?? 'assente'} invece di ${schema.root}) e non è stato scritto`;
    throw invalid([{ path: ['xml', 1], message }], message);
  }
  // libxml2 also prints the offending source line and a caret under it: only its error lines count
  const errors = result.errors.filter((e) => e.loc !== null && /error/i.test(e.message));
  const shown = (errors.length > 0 ? errors : result.errors).slice(0, SHOWN_ERRORS);
  const issues = shown.map((e) => ({ path: ['xml', e.loc?.lineNumber ?? 0], message: italianXsdError(e) }));
  const more = errors.length > shown.length ? ` (e altri ${errors.length - shown.length})` : '';
  throw invalid(issues, `Il file per la banca non rispetta lo schema ${schema.label} e non è stato scritto. ${shown.length === 1 ? 'Errore' : 'Primi errori'}: ${issues.map((i) => i.message).join('; ')}${more}`);
}
