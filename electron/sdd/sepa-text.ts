/**
 * Texts that travel to the bank in an SDD file (PAYMENTS.md §1 "Characters, lengths, identifiers").
 *
 * SEPA files carry only the EPC basic Latin set (EPC217-08): `a-z A-Z 0-9 / - ? : ( ) . , ' +` and
 * space. Names and remittance texts are transliterated (`è`→`e`, `ß`→`ss`, typographic apostrophe
 * → `'`), every other character becomes a space, spaces are collapsed and the text is cut to the
 * field's length. Identifiers (MsgId, PmtInfId, EndToEndId, UMR) are never rewritten: they are
 * checked, because the same value must come back in the bank's returns.
 */

/** The EPC217-08 basic Latin set, space included. */
const SEPA_CHAR = /^[A-Za-z0-9/\-?:().,'+ ]$/;

/** Letters that Unicode decomposition does not reduce to a base letter plus accents. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
  // apostrophes and quotes as people type them (Word, phones): the apostrophe is in the set
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '`': "'",
  '\u00b4': "'",
  // dashes
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};

const ID_CHARS = /^[A-Za-z0-9/\-?:().,'+]+$/;
const ONLY_SEPA = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const NOT_SEPA = /[^A-Za-z0-9/\-?:().,'+ ]/g;
/** combining accents, left after their base letter by the NFD decomposition */
const COMBINING = /\p{M}/gu;
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');

/**
 * `text` in the EPC basic Latin set, at most `maxLength` characters: accents dropped (`à`→`a`),
 * `ß`→`ss`, apostrophes kept, any other character replaced by a space; spaces collapsed and trimmed.
 * May return '' (a text of symbols only): the caller decides whether an empty field is allowed.
 */
export function toSepaText(text: string, maxLength: number): string {
  let out = text;
  if (!ONLY_SEPA.test(out)) {
    out = out
      .normalize('NFD')
      .replace(COMBINING, '')
      .replace(SPECIAL_RE, (ch) => SPECIAL[ch])
      .replace(NOT_SEPA, ' ');
  }
  if (out.includes('  ') || out.startsWith(' ') || out.endsWith(' ')) out = out.replace(/ {2,}/g, ' ').trim();
  return out.length > maxLength ? out.slice(0, maxLength).trimEnd() : out;
}

/** Only characters of the EPC set allowed in identifiers (no space), at least one; length and '/' not checked. */
export function isSepaIdText(id: string): boolean {
  return ID_CHARS.test(id);
}

/** Why `id` cannot be sent as a SEPA identifier (Italian, for the operator), or null when it can. */
export function sepaIdProblem(id: string, maxLength = 35): string | null {
  if (ID_CHARS.test(id) && id.length <= maxLength && id[0] !== '/' && id[id.length - 1] !== '/' && !id.includes('//')) return null;
  if (id.length === 0) return 'è vuoto';
  if (id.length > maxLength) return `è lungo ${id.length} caratteri (al massimo ${maxLength})`;
  for (const ch of id) {
    if (ch === ' ') return 'contiene spazi';
    if (!SEPA_CHAR.test(ch)) return `contiene il carattere «${ch}», non ammesso (solo lettere senza accento, cifre e / - ? : ( ) . , ' +)`;
  }
  if (id.startsWith('/') || id.endsWith('/')) return 'inizia o finisce con «/»';
  if (id.includes('//')) return 'contiene «//»';
  return null;
}

/**
 * An identifier the bank accepts: 1 to `maxLength` (35) characters of the EPC set, no spaces, no
 * leading or trailing `/`, no `//` (the same rule as the database check on UMR and EndToEndId).
 */
export function isSepaId(id: string, maxLength = 35): boolean {
  return sepaIdProblem(id, maxLength) === null;
}

/** Integer cents as the XML decimal with two digits ('112.24'), computed on integers only. */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`importo non intero in centesimi: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
