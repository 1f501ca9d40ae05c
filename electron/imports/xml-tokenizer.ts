/**
 * A small strict XML tokenizer for the parts of an .xlsx: the events and refusals the reader needs
 * from saxes (open and close tags with their attributes, text, CDATA, the XML declaration, DOCTYPE),
 * at about twice saxes's speed on a big sheet (most of the reading time of an .xlsx import was
 * saxes). The usual tag is read by hand and names already checked are remembered; text goes in runs
 * (indexOf) instead of one character at a time.
 *
 * It is not lenient: whatever is not well-formed XML 1.0 is refused (tags that do not match or stay
 * open, a second root, text outside the root, an undefined entity, a bare `<` or `&`, a duplicate
 * attribute, an unquoted value, a character XML does not allow, `]]>` in text, a declaration out of
 * place, a file cut short). DOCTYPE is reported to the caller, which refuses it: no entity is ever
 * expanded but the five predefined ones and character references. A test compares its events and
 * refusals with saxes's on good and broken snippets.
 *
 * Text may arrive in several pieces (chunk boundaries): handlers concatenate. `\r\n` and `\r` become
 * `\n` in text, and tab, CR and LF become spaces in attribute values, as the XML spec says.
 */

export interface XmlTag {
  name: string;
  attributes: Record<string, string>;
  isSelfClosing: boolean;
}

export interface XmlDecl {
  version?: string;
  encoding?: string;
  standalone?: string;
}

interface Handlers {
  opentag?: (tag: XmlTag) => void;
  closetag?: (tag: XmlTag) => void;
  text?: (text: string) => void;
  cdata?: (text: string) => void;
  doctype?: (text: string) => void;
  xmldecl?: (decl: XmlDecl) => void;
  error?: (err: Error) => void;
}

/** 1 for the characters a name may hold (ASCII; the rest, rare in a sheet, goes the long way) */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHAR[c] = /[A-Za-z0-9_:.\-]/.test(String.fromCharCode(c)) ? 1 : 0;
// XML 1.0 names, with the non-ASCII ranges taken whole (a file with odd names fails later, on the element it does not know)
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*$/;
const NAME_AT = /[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*/y;
// one attribute: whitespace, name, =, quoted value (no '<' inside)
const ATTRIBUTE = /[ \t\r\n]+([A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y;
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({});
const TEXT_SPECIAL = /[&\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|]]>/;
const ATTRIBUTE_SPECIAL = /[\t\r\n\x00-\x1F\uFFFE\uFFFF]/;
const TAG_END = /[ \t\r\n]*(\/?)$/y;
const WHITESPACE = /^[ \t\r\n]*$/;
const BAD_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** longer than any character reference a file would write: a '&' this far back is not waiting for its ';' */
const MAX_REFERENCE = 64;
/** a tag, comment, CDATA section or instruction longer than this is refused (Excel's longest cell is 32,767 characters) */
const MAX_CONSTRUCT = 4 * 1024 * 1024;
const DECL_ATTRIBUTE = /[ \t\r\n]+(version|encoding|standalone)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/y;

function allowedCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export class XmlTokenizer {
  private readonly handlers: Handlers = {};
  private buf = '';
  private readonly stack: string[] = [];
  private started = false;
  /** something (element, PI, comment) came already: an XML declaration is no longer allowed */
  private content = false;
  private sawRoot = false;
  private closed = false;
  /** element and attribute names already checked */
  private readonly names = new Set<string>();

  on<K extends keyof Handlers>(event: K, handler: NonNullable<Handlers[K]>): this {
    this.handlers[event] = handler;
    return this;
  }

  write(chunk: string): this {
    if (this.closed) this.fail('scrittura dopo la fine del documento');
    if (!this.started && chunk.length) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buf = this.buf ? this.buf + chunk : chunk;
    this.run(false);
    return this;
  }

  close(): this {
    this.run(true);
    this.closed = true;
    if (this.stack.length) this.fail(`elemento <${this.stack[this.stack.length - 1].slice(0, 30)}> non chiuso`);
    if (!this.sawRoot) this.fail('il documento non ha un elemento radice');
    return this;
  }

  private fail(message: string): never {
    const err = new Error(message);
    this.handlers.error?.(err);
    throw err;
  }

  /** Consumes every complete construct in the buffer; what is cut by the chunk's end waits for the next one. */
  private run(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      const lt = buf.indexOf('<', pos);
      if (lt !== pos) {
        // text up to the next tag (or to the end of what arrived)
        let end = lt < 0 ? len : lt;
        if (lt < 0 && !final) {
          // keep what the next chunk may complete: a reference, a CR (CRLF is one line end)
          const amp = buf.lastIndexOf('&', end - 1);
          if (amp >= pos && end - amp < MAX_REFERENCE && buf.indexOf(';', amp) < 0) end = amp;
          if (end > pos && buf.charCodeAt(end - 1) === 13) end--;
          // and a ']' or ']]' that may begin a refused ']]>'
          for (let k = 0; k < 2 && end > pos && buf.charCodeAt(end - 1) === 93; k++) end--;
          if (end === pos) break;
        }
        this.text(buf.slice(pos, end));
        pos = end;
        continue;
      }
      // pos is at '<'
      if (len - pos < 2) {
        if (final) this.fail('documento interrotto a metà di un tag');
        break;
      }
      const c = buf.charCodeAt(pos + 1);
      let next: number;
      if (c === 47 /* / */) next = this.closeTag(buf, pos);
      else if (c === 63 /* ? */) next = this.instruction(buf, pos);
      else if (c === 33 /* ! */) next = this.markup(buf, pos, final);
      else next = this.openTag(buf, pos);
      if (next < 0) {
        if (final) this.fail('documento interrotto a metà di un tag');
        // a construct still open is scanned again with the next chunk: its size is bounded
        if (len - pos > MAX_CONSTRUCT) this.fail('tag, commento o sezione CDATA troppo lungo');
        break;
      }
      pos = next;
    }
    this.buf = pos >= len ? '' : buf.slice(pos);
  }

  private text(raw: string): void {
    this.content = true;
    if (this.stack.length && !TEXT_SPECIAL.test(raw)) {
      // the usual text: nothing to decode, normalize or refuse
      this.handlers.text?.(raw);
      return;
    }
    if (raw.indexOf(']]>') >= 0) this.fail('«]]>» non è ammesso nel testo');
    const text = this.decode(raw, false);
    if (this.stack.length === 0) {
      if (!WHITESPACE.test(text)) this.fail(this.sawRoot ? 'testo dopo l\'elemento radice' : 'testo prima dell\'elemento radice');
      return;
    }
    if (text) this.handlers.text?.(text);
  }

  /** Entities and character references decoded; line ends (text) or whitespace (attributes) normalized; refused characters refused. */
  private decode(raw: string, attribute: boolean): string {
    if (BAD_CHAR.test(raw)) this.fail('carattere non ammesso in XML');
    const s = raw;
    if (s.indexOf('&') >= 0) {
      let out = '';
      let from = 0;
      for (let amp = s.indexOf('&'); amp >= 0; amp = s.indexOf('&', from)) {
        REFERENCE.lastIndex = amp;
        const m = REFERENCE.exec(s);
        if (!m) this.fail(`riferimento a entità non valido o non definito «${s.slice(amp, amp + 12)}»`);
        let piece: string;
        if (m[1]) piece = PREDEFINED[m[1]];
        else {
          const cp = m[2] !== undefined ? parseInt(m[2], 10) : parseInt(m[3], 16);
          if (!allowedCodePoint(cp)) this.fail(`riferimento a un carattere non ammesso «${m[0].slice(0, 12)}»`);
          piece = String.fromCodePoint(cp);
        }
        // characters written as references are kept as they are (no normalization)
        out += this.normalize(s.slice(from, amp), attribute) + piece;
        from = amp + m[0].length;
      }
      return out + this.normalize(s.slice(from), attribute);
    }
    return this.normalize(s, attribute);
  }

  private normalize(s: string, attribute: boolean): string {
    if (attribute) return /[\t\r\n]/.test(s) ? s.replace(/\r\n|[\t\r\n]/g, ' ') : s;
    return s.indexOf('\r') >= 0 ? s.replace(/\r\n?/g, '\n') : s;
  }

  /**
   * The usual tag read by hand: a known name, attributes `name="value"` separated by one space,
   * `>` or `/>`. Names already checked once are remembered. Anything else (a tag cut by the chunk's
   * end, other spacing, a malformed tag) goes the long way, which says what is wrong with it.
   */
  private openTag(buf: string, lt: number): number {
    const len = buf.length;
    let i = lt + 1;
    while (i < len && NAME_CHAR[buf.charCodeAt(i)] === 1) i++;
    const name = this.knownName(buf, lt + 1, i);
    if (name === null) return this.openTagSlow(buf, lt);
    let attributes: Record<string, string> | null = null;
    for (;;) {
      const ch = buf.charCodeAt(i);
      if (ch === 62 /* > */) return this.element(name, attributes, false, i + 1);
      if (ch === 47 /* / */ && buf.charCodeAt(i + 1) === 62) return this.element(name, attributes, true, i + 2);
      if (ch !== 32) return this.openTagSlow(buf, lt);
      const k = i + 1;
      i = k;
      while (i < len && NAME_CHAR[buf.charCodeAt(i)] === 1) i++;
      const key = this.knownName(buf, k, i);
      const quote = buf.charCodeAt(i + 1);
      if (key === null || buf.charCodeAt(i) !== 61 /* = */ || (quote !== 34 && quote !== 39)) return this.openTagSlow(buf, lt);
      const close = buf.indexOf(quote === 34 ? '"' : "'", i + 2);
      if (close < 0) return this.openTagSlow(buf, lt);
      let value = buf.slice(i + 2, close);
      if (value.indexOf('<') >= 0) this.fail('«<» non ammesso nel valore di un attributo');
      attributes ??= {};
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.fail(`attributo «${key.slice(0, 30)}» ripetuto`);
      if (value.indexOf('&') >= 0 || ATTRIBUTE_SPECIAL.test(value)) value = this.decode(value, true);
      attributes[key] = value;
      i = close + 1;
    }
  }

  /** The name in buf[from, to) if it is one already checked (or checks it now); null when it is not a name. */
  private knownName(buf: string, from: number, to: number): string | null {
    if (to === from || to - from > 100) return null;
    const name = buf.slice(from, to);
    if (this.names.has(name)) return name;
    if (!NAME.test(name)) return null;
    this.names.add(name);
    return name;
  }

  private openTagSlow(buf: string, lt: number): number {
    // the tag ends at the first '>' outside quotes
    let i = lt + 1;
    const len = buf.length;
    for (;;) {
      if (i >= len) return -1;
      const ch = buf.charCodeAt(i);
      if (ch === 62 /* > */) break;
      if (ch === 34 || ch === 39) {
        const q = buf.indexOf(ch === 34 ? '"' : "'", i + 1);
        if (q < 0) return -1;
        i = q + 1;
      } else if (ch === 60 /* < */) this.fail('«<» non ammesso dentro un tag');
      else i++;
    }
    const body = buf.slice(lt + 1, i);
    NAME_AT.lastIndex = 0;
    const nm = NAME_AT.exec(body);
    if (!nm) this.fail(`nome di elemento non valido «${body.slice(0, 20)}»`);
    let at = nm[0].length;
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      if (!ATTRIBUTE.exec(body)) break;
      at = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = at;
    const end = TAG_END.exec(body);
    if (!end) this.fail(`tag <${nm[0].slice(0, 30)}> scritto male`);
    const attributes: Record<string, string> = {};
    for (let from = nm[0].length; ; ) {
      ATTRIBUTE.lastIndex = from;
      const m = ATTRIBUTE.exec(body);
      if (!m) break;
      const key = m[1];
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.fail(`attributo «${key.slice(0, 30)}» ripetuto`);
      const value = m[2] ?? m[3];
      attributes[key] = value.indexOf('&') >= 0 || ATTRIBUTE_SPECIAL.test(value) ? this.decode(value, true) : value;
      from = ATTRIBUTE.lastIndex;
    }
    return this.element(nm[0], attributes, end[1] === '/', i + 1);
  }

  /** An element whose tag was read (attributes decoded). */
  private element(name: string, attributes: Record<string, string> | null, selfClosing: boolean, next: number): number {
    if (this.sawRoot && this.stack.length === 0) this.fail('un secondo elemento radice');
    this.content = true;
    this.sawRoot = true;
    const tag: XmlTag = { name, attributes: attributes ?? {}, isSelfClosing: selfClosing };
    this.stack.push(name);
    this.handlers.opentag?.(tag);
    if (selfClosing) {
      this.stack.pop();
      this.handlers.closetag?.(tag);
    }
    return next;
  }

  private closeTag(buf: string, lt: number): number {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && buf.charCodeAt(lt + 2 + top.length) === 62 && buf.startsWith(top, lt + 2)) {
      // the usual case: the name of the element open (already checked), then '>'
      this.stack.pop();
      this.handlers.closetag?.({ name: top, attributes: NO_ATTRIBUTES, isSelfClosing: false });
      return lt + 3 + top.length;
    }
    const gt = buf.indexOf('>', lt + 2);
    if (gt < 0) return -1;
    const raw = buf.slice(lt + 2, gt);
    let n = raw.length;
    while (n > 0 && (raw.charCodeAt(n - 1) === 32 || raw.charCodeAt(n - 1) === 9 || raw.charCodeAt(n - 1) === 10 || raw.charCodeAt(n - 1) === 13)) n--;
    const name = n === raw.length ? raw : raw.slice(0, n);
    if (!NAME.test(name)) this.fail(`tag di chiusura non valido «</${raw.slice(0, 20)}>»`);
    const open = this.stack.pop();
    if (open === undefined) this.fail(`tag di chiusura </${name.slice(0, 30)}> senza apertura`);
    if (open !== name) this.fail(`tag di chiusura </${name.slice(0, 30)}> al posto di </${open.slice(0, 30)}>`);
    this.handlers.closetag?.({ name, attributes: NO_ATTRIBUTES, isSelfClosing: false });
    return gt + 1;
  }

  /** `<?xml …?>` (only first, only once) or a processing instruction (skipped). */
  private instruction(buf: string, lt: number): number {
    const end = buf.indexOf('?>', lt + 2);
    if (end < 0) return -1;
    const body = buf.slice(lt + 2, end);
    NAME_AT.lastIndex = 0;
    const target = NAME_AT.exec(body)?.[0];
    if (!target) this.fail('istruzione di elaborazione senza nome');
    if (target.toLowerCase() === 'xml') {
      if (target !== 'xml' || this.content) this.fail('dichiarazione XML fuori posto');
      const decl: XmlDecl = {};
      let at = 3;
      for (;;) {
        DECL_ATTRIBUTE.lastIndex = at;
        const m = DECL_ATTRIBUTE.exec(body);
        if (!m) break;
        decl[m[1] as keyof XmlDecl] = m[2] ?? m[3];
        at = DECL_ATTRIBUTE.lastIndex;
      }
      if (!WHITESPACE.test(body.slice(at)) || decl.version === undefined) this.fail('dichiarazione XML non valida');
      this.content = true;
      this.handlers.xmldecl?.(decl);
    } else {
      if (body.length > target.length && !/^[ \t\r\n]/.test(body.slice(target.length))) this.fail('istruzione di elaborazione scritta male');
      this.content = true;
    }
    return end + 2;
  }

  /** Comments (skipped), CDATA (inside the root), DOCTYPE (reported); anything else refused. */
  private markup(buf: string, lt: number, final: boolean): number {
    const head = buf.slice(lt, lt + 9);
    if (head.startsWith('<!--')) {
      const end = buf.indexOf('-->', lt + 4);
      if (end < 0) return -1;
      if (buf.slice(lt + 4, end).indexOf('--') >= 0 || buf.charCodeAt(end - 1) === 45) this.fail('«--» non ammesso in un commento');
      this.content = true;
      return end + 3;
    }
    if (head === '<![CDATA[') {
      const end = buf.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      if (this.stack.length === 0) this.fail('sezione CDATA fuori dall\'elemento radice');
      const text = buf.slice(lt + 9, end);
      if (BAD_CHAR.test(text)) this.fail('carattere non ammesso in XML');
      this.handlers.cdata?.(this.normalize(text, false));
      return end + 3;
    }
    if (head === '<!DOCTYPE') {
      this.handlers.doctype?.(buf.slice(lt + 9, lt + 200));
      this.fail('dichiarazione DOCTYPE');
    }
    if (!final && head.length < 9 && ('<![CDATA['.startsWith(head) || '<!DOCTYPE'.startsWith(head) || '<!--'.startsWith(head))) return -1;
    return this.fail('dichiarazione «<!» non ammessa');
  }
}
