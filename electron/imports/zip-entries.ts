/**
 * The zip container of an .xlsx, read with yauzl. Every entry is inflated as a stream and its
 * bytes are counted as they come out: an entry that inflates past its limit, past the ratio limit
 * or past the file's total is cut off at once, whatever sizes the zip declares.
 */
import yauzl from 'yauzl';
import { refusals, sheetRefused, type SheetLimits } from './sheet-limits';

const NOT_A_ZIP = 'Il file non è un foglio Excel .xlsx leggibile (è danneggiato o di un altro formato?)';

export interface ZipArchive {
  /** entry names as written in the zip (no leading '/') */
  readonly names: ReadonlySet<string>;
  /** Inflates one entry, giving its bytes chunk by chunk; rejects when a limit is passed. */
  inflate(name: string, onChunk: (chunk: Buffer) => void): Promise<void>;
  /** Inflates one entry whole, as UTF-8 text (for the small parts: workbook, relationships). */
  text(name: string): Promise<string>;
  close(): void;
}

function fromBuffer(content: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes: yauzl also refuses an entry whose inflated size differs from the declared one
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(sheetRefused(NOT_A_ZIP));
      else resolve(zip);
    });
  });
}

export async function openZip(content: Buffer, limits: SheetLimits): Promise<ZipArchive> {
  const zip = await fromBuffer(content);
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entries.size >= limits.maxEntries) {
        reject(refusals.tooManyEntries(limits.maxEntries));
        zip.close();
        return;
      }
      const name = entry.fileName.replace(/^\/+/, '');
      if (entries.has(name)) {
        // two entries with one name: programs would disagree on which one is read
        reject(sheetRefused(`Il file Excel contiene due volte la parte «${name.slice(0, 60)}»: è danneggiato`));
        zip.close();
        return;
      }
      entries.set(name, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', () => reject(sheetRefused(NOT_A_ZIP)));
    zip.readEntry();
  });

  let total = 0;
  const inflate = (name: string, onChunk: (chunk: Buffer) => void): Promise<void> => {
    const entry = entries.get(name);
    if (!entry) return Promise.reject(sheetRefused(`Il file Excel è incompleto: manca la parte «${name.slice(0, 60)}»`));
    if (entry.isEncrypted()) return Promise.reject(sheetRefused('Il file Excel è protetto da password: toglierla (File › Informazioni › Proteggi cartella di lavoro) e riprovare'));
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      return Promise.reject(sheetRefused(`Il file Excel usa una compressione non prevista (metodo ${entry.compressionMethod}): salvarlo di nuovo con Excel o LibreOffice`));
    }
    return new Promise((resolve, reject) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) {
          reject(sheetRefused(`Il file Excel è danneggiato (parte «${name.slice(0, 60)}» illeggibile)`));
          return;
        }
        let out = 0;
        let failed = false;
        const fail = (e: unknown) => {
          if (failed) return;
          failed = true;
          stream.destroy();
          reject(e instanceof Error ? e : new Error(String(e)));
        };
        stream.on('data', (chunk: Buffer) => {
          if (failed) return;
          out += chunk.length;
          total += chunk.length;
          if (out > limits.maxEntryBytes) return fail(refusals.entryTooBig(name, limits.maxEntryBytes));
          if (total > limits.maxTotalBytes) return fail(refusals.totalTooBig(limits.maxTotalBytes));
          if (out > limits.ratioFreeBytes && out > limits.maxRatio * Math.max(1, entry.compressedSize)) return fail(refusals.ratio(name, limits.maxRatio));
          try {
            onChunk(chunk);
          } catch (e) {
            fail(e);
          }
        });
        stream.on('error', () => fail(sheetRefused(`Il file Excel è danneggiato (parte «${name.slice(0, 60)}» non si decomprime correttamente)`)));
        stream.on('end', () => {
          if (!failed) resolve();
        });
      });
    });
  };

  return {
    names: new Set(entries.keys()),
    inflate,
    async text(name) {
      const chunks: Buffer[] = [];
      await inflate(name, (c) => chunks.push(c));
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => zip.close(),
  };
}

/**
 * Inflates every entry under the limits and throws the inflated bytes away: the check made before
 * a library that inflates on its own (exceljs, through JSZip) is given the file.
 */
export async function checkZip(content: Buffer, limits: SheetLimits): Promise<void> {
  const zip = await openZip(content, limits);
  try {
    for (const name of zip.names) if (!name.endsWith('/')) await zip.inflate(name, () => {});
  } finally {
    zip.close();
  }
}
