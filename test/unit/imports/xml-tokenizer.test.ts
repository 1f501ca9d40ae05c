import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { XmlTokenizer } from '../../../electron/imports/xml-tokenizer';

type Event = string;

interface Parser {
  on(event: string, handler: (arg: never) => void): unknown;
  write(s: string): unknown;
  close(): unknown;
}

/** The events a reader sees (text and CDATA merged, text outside the root left out), or 'rifiutato'. */
function events(make: () => Parser, chunks: string[]): Event[] | 'rifiutato' {
  const out: Event[] = [];
  let depth = 0;
  let text = '';
  const flush = () => {
    if (text) out.push(`text:${text}`);
    text = '';
  };
  const p = make();
  p.on('opentag', (t: { name: string; attributes: Record<string, string> }) => {
    flush();
    depth++;
    out.push(`open:${t.name}:${JSON.stringify(Object.entries(t.attributes))}`);
  });
  p.on('closetag', (t: { name: string }) => {
    flush();
    depth--;
    out.push(`close:${t.name}`);
  });
  p.on('text', (s: string) => {
    if (depth > 0) text += s;
  });
  p.on('cdata', (s: string) => {
    text += s;
  });
  p.on('xmldecl', (d: { encoding?: string }) => out.push(`decl:${d.encoding ?? ''}`));
  p.on('doctype', () => {
    throw new Error('DOCTYPE');
  });
  p.on('error', (e: Error) => {
    throw e;
  });
  try {
    for (const c of chunks) p.write(c);
    p.close();
  } catch {
    return 'rifiutato';
  }
  flush();
  return out;
}

const saxes = () => new SaxesParser({ position: false, xmlns: false }) as unknown as Parser;
const tokenizer = () => new XmlTokenizer() as unknown as Parser;

const GOOD = [
  '<a/>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="urn:x"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
  '\uFEFF<?xml version="1.0"?><a>b</a>',
  '<a  b = "1"\n\tc=\'2\' ><d /><e\r\n/></a>',
  '<x:a xmlns:x="urn:x" x:b="1"><x:c>testo</x:c></x:a>',
  '<a t="&lt;&amp;&gt;&quot;&apos;&#65;&#x42;">&lt;Rossi &amp; figli&gt; &#233;&#x1F600;</a>',
  '<a v="uno\tdue\nquattro\r\ncinque">riga1\r\nriga2\rriga3\n</a>',
  '<!-- commento --><?pi dati?><a><!-- dentro --><![CDATA[<non è un tag> & ]]>fine<?altro?></a><!-- dopo -->\n',
  '<a>  spazi  </a>  \n',
  '<àè é="ù">π</àè>',
  '<a b=">"/>',
  '<a><b>1</b><b>2</b><c/></a>',
  '<a>x]y]]z</a>',
];

const BAD = [
  '',
  '   ',
  '<a>',
  '<a></b>',
  '<a></a><b></b>',
  'testo<a/>',
  '<a/>testo',
  '<a>&foo;</a>',
  '<a>Rossi & figli</a>',
  '<a>1 < 2</a>',
  '<a b="<"/>',
  '<a b="1" b="2"/>',
  '<a b=1/>',
  '<a b="1"c="2"/>',
  '<a b/>',
  ' <?xml version="1.0"?><a/>',
  '<a/><?xml version="1.0"?>',
  '<?xml encoding="UTF-8"?><a/>',
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
  '<a>]]></a>',
  '<a>\u0001</a>',
  '<a b="\u0002"/>',
  '<a>&#0;</a>',
  '<a>&#xFFFE;</a>',
  '<!-- a -- b --><a/>',
  '<![CDATA[x]]><a/>',
  '</a>',
  '<1a/>',
  '< a/>',
  '<a></ a>',
  '<a><!ELEMENT x></a>',
  '<a>&amp</a>',
  '<a b="1" / >',
  '<a',
  '<a b="1',
  '<a><!-- aperto',
  '<a><![CDATA[aperta',
];

describe('tokenizer XML dei fogli: stessi eventi e stessi rifiuti di saxes', () => {
  it('documenti ben formati: stessi eventi, letti interi', () => {
    for (const doc of GOOD) {
      const expected = events(saxes, [doc]);
      expect(expected, doc).not.toBe('rifiutato');
      expect(events(tokenizer, [doc]), doc).toEqual(expected);
    }
  });

  it('documenti malformati: rifiutati come da saxes', () => {
    for (const doc of BAD) {
      expect(events(saxes, [doc]), `saxes: ${JSON.stringify(doc)}`).toBe('rifiutato');
      expect(events(tokenizer, [doc]), JSON.stringify(doc)).toBe('rifiutato');
    }
  });

  it('divisi in due pezzi in ogni punto (come arrivano dallo zip): stessi eventi e stessi rifiuti', () => {
    for (const doc of [...GOOD, ...BAD]) {
      const whole = events(saxes, [doc]);
      for (let i = 1; i < doc.length; i++) {
        const parts = [doc.slice(0, i), doc.slice(i)];
        expect(events(tokenizer, parts), `${JSON.stringify(parts)}`).toEqual(whole);
      }
    }
  });

  it('un foglio vero (righe, celle, testi condivisi) in pezzi da 7 caratteri: stessi eventi', () => {
    const rows = Array.from({ length: 30 }, (_, r) =>
      `<row r="${r + 1}" spans="1:3"><c r="A${r + 1}" t="s"><v>${r}</v></c><c r="B${r + 1}" s="1"><v>4352${r}</v></c><c r="C${r + 1}" t="inlineStr"><is><t xml:space="preserve"> R&amp;${r} </t></is></c></row>`,
    ).join('');
    const doc = `<?xml version="1.0" encoding="UTF-8"?>\r\n<worksheet xmlns="urn:m" xmlns:r="urn:r"><sheetData>${rows}</sheetData></worksheet>`;
    const chunks = doc.match(/[\s\S]{1,7}/g)!;
    expect(events(tokenizer, chunks)).toEqual(events(saxes, [doc]));
  });

  it('un tag lunghissimo mai chiuso è rifiutato invece di essere riletto all\'infinito', () => {
    const t = new XmlTokenizer();
    t.write('<a><b c="');
    const piece = 'x'.repeat(1024 * 1024);
    expect(() => {
      for (let i = 0; i < 6; i++) t.write(piece);
    }).toThrow(/troppo lungo/);
  });
});
