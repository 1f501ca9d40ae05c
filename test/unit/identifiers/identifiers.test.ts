import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { composeIBAN, isValidIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import {
  buildCodiceFiscale,
  buildCreditorId,
  buildItalianIban,
  buildNumeroAvviso,
  computeCheckChar,
  computeCin,
  computeNumeroAvvisoCheckDigits,
  birthDateMismatch,
  decodeCodiceFiscale,
  formatIban,
  parseNumeroAvviso,
  validateCodiceFiscale,
  validateCreditorId,
  validateIban,
  validateNumeroAvviso,
  type IdentifierResult,
} from '../../../electron/identifiers';

const here = path.dirname(fileURLToPath(import.meta.url));
const VECTORS_PATH = path.resolve(here, '../../../../shared/standards/it-identifiers-test-vectors.json');

interface Vectors {
  iban_valid: string[];
  iban_invalid: Record<string, string>;
  creditor_identifier_valid: string[];
  creditor_identifier_invalid: Record<string, string>;
  codice_fiscale_valid: string[];
  codice_fiscale_valid_omocodia: string[];
  codice_fiscale_invalid: Record<string, string>;
  numero_avviso_valid: Record<string, string>;
  numero_avviso_check_invalid: string[];
}

const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;

function expectOk(result: IdentifierResult, value: string): void {
  expect(result).toEqual({ ok: true, value });
}

function expectFail(result: IdentifierResult, message?: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok && message !== undefined) {
    if (typeof message === 'string') expect(result.message).toContain(message);
    else expect(result.message).toMatch(message);
  }
}

describe('file dei vettori di prova', () => {
  it('è quello condiviso in /work/shared/standards e ha ogni categoria', () => {
    expect(VECTORS_PATH.endsWith(path.join('shared', 'standards', 'it-identifiers-test-vectors.json'))).toBe(true);
    expect(vectors.codice_fiscale_valid.length).toBeGreaterThan(0);
    expect(vectors.codice_fiscale_valid_omocodia.length).toBeGreaterThan(0);
    expect(Object.keys(vectors.codice_fiscale_invalid).length).toBeGreaterThan(0);
    expect(vectors.iban_valid.length).toBeGreaterThan(0);
    expect(Object.keys(vectors.iban_invalid).length).toBeGreaterThan(0);
    expect(vectors.creditor_identifier_valid.length).toBeGreaterThan(0);
    expect(Object.keys(vectors.creditor_identifier_invalid).length).toBeGreaterThan(0);
    expect(Object.keys(vectors.numero_avviso_valid).length).toBeGreaterThan(0);
    expect(vectors.numero_avviso_check_invalid.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Codice fiscale
// ---------------------------------------------------------------------------------------------

describe("E3: il codice fiscale dell'alunno è obbligatorio e validato", () => {
  describe('E3: vettori validi', () => {
    for (const cf of vectors.codice_fiscale_valid) {
      it(`E3: accetta ${cf}`, () => expectOk(validateCodiceFiscale(cf), cf));
    }
    for (const cf of vectors.codice_fiscale_valid_omocodia) {
      it(`E3: accetta il codice omocodico ${cf}`, () => expectOk(validateCodiceFiscale(cf), cf));
    }
  });

  describe('E3: vettori non validi', () => {
    for (const [cf, why] of Object.entries(vectors.codice_fiscale_invalid)) {
      it(`E3: rifiuta ${cf} (${why})`, () => expectFail(validateCodiceFiscale(cf)));
    }
  });

  it('E3: codice fiscale mancante', () => {
    expectFail(validateCodiceFiscale(''), 'Il codice fiscale è obbligatorio');
    expectFail(validateCodiceFiscale('   '), 'Il codice fiscale è obbligatorio');
  });

  it('E3: normalizza spazi esterni e minuscole', () => {
    expectOk(validateCodiceFiscale('  rssmra85t10a562s \n'), 'RSSMRA85T10A562S');
  });

  it('E3: lunghezza errata', () => {
    expectFail(validateCodiceFiscale('RSSMRA85T10A562'), 'Il codice fiscale deve avere 16 caratteri');
    expectFail(validateCodiceFiscale('RSSMRA85T10A562SX'), 'Il codice fiscale deve avere 16 caratteri');
    expectFail(validateCodiceFiscale('12345678901'), 'Il codice fiscale deve avere 16 caratteri');
  });

  it('E3: caratteri non validi indicati con la posizione (1-based)', () => {
    expectFail(validateCodiceFiscale('R1SMRA85T10A562S'), 'caratteri non validi in posizione 2');
    expectFail(validateCodiceFiscale('RSSMRA8AT10A562S'), 'caratteri non validi in posizione 8');
    expectFail(validateCodiceFiscale('RSSMRA85F10A562S'), 'caratteri non validi in posizione 9');
    expectFail(validateCodiceFiscale('RSSMRA85T10A56-S'), 'caratteri non validi in posizione 15');
    expectFail(validateCodiceFiscale('RSSMRA85T10A5628'), 'caratteri non validi in posizione 16');
    expectFail(validateCodiceFiscale('RSSMRA85T 0A562S'), 'caratteri non validi in posizione 10');
    // 'O' is not an omocodia letter, even with a matching check character.
    expectFail(validateCodiceFiscale('BLIPTR93MO4A674Q'), 'caratteri non validi in posizione 10');
    expect(computeCheckChar('BLIPTR93MO4A674')).toBe('Q');
  });

  it('E3: giorno di nascita fuori intervallo (1-31, 41-71)', () => {
    for (const dd of ['00', '32', '40', '72', '99']) {
      const first15 = `RSSMRA85T${dd}A562`;
      expectFail(validateCodiceFiscale(first15 + computeCheckChar(first15)), 'Giorno di nascita non valido');
    }
    for (const dd of ['01', '31', '41', '71']) {
      const first15 = `RSSMRA85T${dd}A562`;
      expect(validateCodiceFiscale(first15 + computeCheckChar(first15)).ok).toBe(true);
    }
  });

  it('E3: carattere di controllo errato', () => {
    expectFail(validateCodiceFiscale('RSSMRA85T10A562T'), 'Carattere di controllo del codice fiscale errato');
    expectFail(validateCodiceFiscale('MRNMIA03E45L219X'), 'Carattere di controllo del codice fiscale errato');
  });

  it('E3: ogni lettera di controllo diversa da quella calcolata è rifiutata', () => {
    for (const cf of [...vectors.codice_fiscale_valid, ...vectors.codice_fiscale_valid_omocodia]) {
      expect(computeCheckChar(cf.slice(0, 15))).toBe(cf[15]);
      for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
        if (letter !== cf[15]) expect(validateCodiceFiscale(cf.slice(0, 15) + letter).ok).toBe(false);
      }
    }
  });

  it('E3: decodifica data di nascita, sesso e codice catastale', () => {
    expect(decodeCodiceFiscale('RSSMRA85T10A562S', 2026)).toEqual({ birthDate: '1985-12-10', sex: 'M', belfiore: 'A562' });
    expect(decodeCodiceFiscale('MRNMIA02E45L219X', 2026)).toEqual({ birthDate: '2002-05-05', sex: 'F', belfiore: 'L219' });
    expect(decodeCodiceFiscale('VRNGNY07A68D843I', 2026)).toEqual({ birthDate: '2007-01-28', sex: 'F', belfiore: 'D843' });
    expect(decodeCodiceFiscale('RVNGNY77B08Z138H', 2026)).toEqual({ birthDate: '1977-02-08', sex: 'M', belfiore: 'Z138' });
    // Omocodia decoded in year, day and Belfiore.
    expect(decodeCodiceFiscale('BNZVCNPNSMLERTPX', 2026)).toEqual({ birthDate: '1932-11-10', sex: 'M', belfiore: 'E573' });
    expect(decodeCodiceFiscale('KKALMNVMAPLBPPME', 2026)).toEqual({ birthDate: '1991-01-30', sex: 'M', belfiore: 'B331' });
    expect(decodeCodiceFiscale('CCHGNN67R05H1S3I', 2026).belfiore).toBe('H163');
  });

  it('secolo scelto rispetto all’anno di riferimento', () => {
    expect(decodeCodiceFiscale('VRNGNY07A68D843I', 2026).birthDate).toBe('2007-01-28');
    expect(decodeCodiceFiscale('VRNGNY07A68D843I', 2007).birthDate).toBe('2007-01-28');
    expect(decodeCodiceFiscale('VRNGNY07A68D843I', 2006).birthDate).toBe('1907-01-28');
    expect(decodeCodiceFiscale('RSSMRA85T10A562S', 2026).birthDate).toBe('1985-12-10');
    expect(decodeCodiceFiscale('RSSMRA85T10A562S', 2090).birthDate).toBe('2085-12-10');
    expect(() => decodeCodiceFiscale('RSSMRA85T10A562T', 2026)).toThrow('Carattere di controllo');
  });

  it('E3: la data di nascita deve essere quella codificata nel codice fiscale, in qualunque secolo', () => {
    expect(birthDateMismatch('RSSMRA85T10A562S', '1985-12-10')).toBeNull();
    expect(birthDateMismatch('VRNGNY07A68D843I', '2007-01-28')).toBeNull();
    // the code does not hold the century: 1907 is as good as 2007
    expect(birthDateMismatch('VRNGNY07A68D843I', '1907-01-28')).toBeNull();
    // omocodia: the digits replaced by letters still encode the date
    expect(birthDateMismatch('BNZVCNPNSMLERTPX', '1932-11-10')).toBeNull();
    // another day, month or year: the date the code says, in the century of the given one
    expect(birthDateMismatch('RSSMRA85T10A562S', '1985-12-11')).toBe('1985-12-10');
    expect(birthDateMismatch('RSSMRA85T10A562S', '1985-11-10')).toBe('1985-12-10');
    expect(birthDateMismatch('RSSMRA85T10A562S', '1986-12-10')).toBe('1985-12-10');
    expect(birthDateMismatch('VRNGNY07A68D843I', '2017-01-28')).toBe('2007-01-28');
  });

  it('costruzione dai dati anagrafici (regole consonanti/vocali)', () => {
    expect(
      buildCodiceFiscale({ lastName: 'Rossi', firstName: 'Mario', birthDate: '1985-12-10', sex: 'M', belfiore: 'A562' }),
    ).toBe('RSSMRA85T10A562S');
    expect(
      buildCodiceFiscale({ lastName: 'Marino', firstName: 'Mia', birthDate: '2002-05-05', sex: 'F', belfiore: 'L219' }),
    ).toBe('MRNMIA02E45L219X');
    // First name with four or more consonants: 1st, 3rd and 4th.
    const vincenzo = { lastName: 'Benzi', firstName: 'Vincenzo', birthDate: '1932-11-10', sex: 'M', belfiore: 'E573' } as const;
    expect(buildCodiceFiscale(vincenzo)).toBe('BNZVCN32S10E573Z');
    expect(buildCodiceFiscale({ ...vincenzo, omocodia: 1 })).toBe('BNZVCN32S10E57PV');
    expect(buildCodiceFiscale({ ...vincenzo, omocodia: 7 })).toBe('BNZVCNPNSMLERTPX');
    // Short names padded with vowels then X; accents, apostrophes and spaces ignored.
    const base = { birthDate: '2018-03-01', sex: 'F', belfiore: 'H501' } as const;
    expect(buildCodiceFiscale({ ...base, lastName: 'Fo', firstName: 'Al' }).slice(0, 6)).toBe('FOXLAX');
    expect(buildCodiceFiscale({ ...base, lastName: "D'Angelo", firstName: 'Niccolò' }).slice(0, 6)).toBe('DNGNCL');
    expect(buildCodiceFiscale({ ...base, lastName: 'De Luca', firstName: 'Zoë' }).slice(0, 6)).toBe('DLCZOE');
    expect(() => buildCodiceFiscale({ ...base, lastName: "'", firstName: 'Anna' })).toThrow(RangeError);
    expect(() => buildCodiceFiscale({ ...base, lastName: 'Rossi', firstName: 'Anna', birthDate: '2019-02-29' })).toThrow(
      RangeError,
    );
    expect(() => buildCodiceFiscale({ ...base, lastName: 'Rossi', firstName: 'Anna', belfiore: 'H50' })).toThrow(RangeError);
  });

  it('E3: round-trip — i codici costruiti da dati casuali sono validi e si decodificano ai dati', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzàèéìòùÀÈ'.split(''));
    const noise = fc.constantFrom("'", ' ', '-');
    const name = fc
      .array(fc.oneof({ weight: 9, arbitrary: letter }, { weight: 1, arbitrary: noise }), { minLength: 1, maxLength: 24 })
      .map((chars) => chars.join(''))
      .filter((s) => /[A-Za-zÀ-ÿ]/.test(s));
    const birthDate = fc
      .date({ min: new Date(Date.UTC(1927, 0, 1)), max: new Date(Date.UTC(2026, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const belfiore = fc
      .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), fc.integer({ min: 0, max: 999 }))
      .map(([l, n]) => l + String(n).padStart(3, '0'));
    fc.assert(
      fc.property(
        name,
        name,
        birthDate,
        fc.constantFrom('M' as const, 'F' as const),
        belfiore,
        fc.integer({ min: 0, max: 7 }),
        (lastName, firstName, date, sex, bf, omocodia) => {
          const cf = buildCodiceFiscale({ lastName, firstName, birthDate: date, sex, belfiore: bf, omocodia });
          expect(validateCodiceFiscale(cf)).toEqual({ ok: true, value: cf });
          expect(decodeCodiceFiscale(cf, 2026)).toEqual({ birthDate: date, sex, belfiore: bf });
          // Changing any single character of a valid code is detected.
          const i = (lastName.length + firstName.length) % 16;
          const mutated = cf.slice(0, i) + (cf[i] === 'A' ? 'B' : 'A') + cf.slice(i + 1);
          expect(validateCodiceFiscale(mutated).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

describe('IBAN', () => {
  for (const iban of vectors.iban_valid) {
    it(`accetta ${iban}`, () => expectOk(validateIban(iban), iban));
  }
  for (const [iban, why] of Object.entries(vectors.iban_invalid)) {
    it(`rifiuta ${iban} (${why})`, () => expectFail(validateIban(iban)));
  }

  it('messaggi specifici', () => {
    expectFail(validateIban('IT60X0542811101000000123457'), 'IBAN non valido: cifre di controllo errate');
    expectFail(validateIban('IT66A0542811101000000123456'), 'IBAN non valido: cifre di controllo errate');
    expectFail(validateIban('IT65A0542811101000000123456'), 'IBAN italiano con CIN errato');
    expectFail(validateIban('IT6X0542811101000000123456'), 'IBAN di lunghezza errata');
    expectFail(validateIban('IT60X05428111010000001234567'), 'IBAN di lunghezza errata');
    expectFail(validateIban(''), "L'IBAN è obbligatorio");
    expectFail(validateIban('IT60X054281110100000012345_'), 'caratteri non validi');
    expectFail(validateIban('XX60X0542811101000000123456'), 'codice paese');
  });

  it('ibantools da solo accetta il CIN errato (motivo del controllo aggiuntivo)', () => {
    expect(isValidIBAN('IT65A0542811101000000123456')).toBe(true);
  });

  it('normalizza spazi e minuscole', () => {
    expectOk(validateIban(' it60 x054 2811 1010 0000 0123 456 '), 'IT60X0542811101000000123456');
    expectOk(validateIban('sm86\u00a0u032 2509 8000 0000 0270 100'), 'SM86U0322509800000000270100');
  });

  it('CIN errato anche per San Marino', () => {
    const bban = 'A0322509800000000270100';
    const iban = composeIBAN({ countryCode: 'SM', bban });
    expect(iban).not.toBeNull();
    expectFail(validateIban(iban!), 'IBAN sammarinese con CIN errato');
  });

  it('accetta IBAN esteri validi senza controllo CIN', () => {
    expectOk(validateIban('DE89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
    expectOk(validateIban('FR1420041010050500013M02606'), 'FR1420041010050500013M02606');
  });

  it('formatta a gruppi di 4', () => {
    expect(formatIban('IT60X0542811101000000123456')).toBe('IT60 X054 2811 1010 0000 0123 456');
    expect(formatIban('it60 x0542811101000000123456')).toBe('IT60 X054 2811 1010 0000 0123 456');
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
  });

  it('costruisce IBAN italiani', () => {
    expect(computeCin('05428', '11101', '000000123456')).toBe('X');
    expect(buildItalianIban('05428', '11101', '000000123456')).toBe('IT60X0542811101000000123456');
    expect(() => buildItalianIban('5428', '11101', '000000123456')).toThrow(RangeError);
    expect(() => buildItalianIban('05428', '11101', '123456')).toThrow(RangeError);
  });

  it('round-trip — IBAN costruiti da ABI/CAB/conto casuali sono validi; un CIN diverso è rifiutato', () => {
    const digits = (n: number) =>
      fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
    const account = fc
      .array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), { minLength: 12, maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(digits(5), digits(5), account, fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), (abi, cab, acct, otherCin) => {
        const iban = buildItalianIban(abi, cab, acct);
        expect(validateIban(iban)).toEqual({ ok: true, value: iban });
        expect(iban.slice(5)).toBe(abi + cab + acct);
        expect(validateIban(formatIban(iban).toLowerCase())).toEqual({ ok: true, value: iban });
        if (otherCin !== iban[4]) {
          const forged = composeIBAN({ countryCode: 'IT', bban: otherCin + abi + cab + acct });
          expect(forged).not.toBeNull();
          expect(isValidIBAN(forged!)).toBe(true);
          expectFail(validateIban(forged!), 'IBAN italiano con CIN errato');
        }
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// SEPA creditor identifier
// ---------------------------------------------------------------------------------------------

describe('Identificativo del creditore SEPA', () => {
  for (const ci of vectors.creditor_identifier_valid) {
    it(`accetta ${ci}`, () => expectOk(validateCreditorId(ci), ci));
  }
  for (const [ci, why] of Object.entries(vectors.creditor_identifier_invalid)) {
    it(`rifiuta ${ci} (${why})`, () => expectFail(validateCreditorId(ci)));
  }

  it('messaggi specifici', () => {
    expectFail(validateCreditorId('IT04ZZZ12345678903'), 'deve avere 23 caratteri');
    expectFail(validateCreditorId('IT05ZZZ0000012345678903'), 'cifre di controllo errate');
    expectFail(validateCreditorId(''), 'obbligatorio');
    expectFail(validateCreditorId('IT0AZZZ0000012345678903'), 'non valido');
  });

  it('il codice attività (posizioni 5-7) non entra nel calcolo', () => {
    expectOk(validateCreditorId('it04 abc 0000012345678903'), 'IT04ABC0000012345678903');
    expectOk(validateCreditorId('IT04001RSSMRA85T10A562S'), 'IT04001RSSMRA85T10A562S');
  });

  it('accetta identificativi di altri paesi (EPC262-08)', () => {
    expectOk(validateCreditorId('DE98ZZZ09999999999'), 'DE98ZZZ09999999999');
    expectFail(validateCreditorId('DE97ZZZ09999999999'), 'cifre di controllo errate');
  });

  it('costruisce identificativi validi', () => {
    expect(buildCreditorId('IT', '0000012345678903')).toBe('IT04ZZZ0000012345678903');
    expect(buildCreditorId('IT', 'RSSMRA85T10A562S')).toBe('IT04ZZZRSSMRA85T10A562S');
    expect(buildCreditorId('DE', '09999999999')).toBe('DE98ZZZ09999999999');
    expect(() => buildCreditorId('IT', '12345678903')).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), { minLength: 16, maxLength: 16 }),
        (chars) => {
          const ci = buildCreditorId('IT', chars.join(''));
          expect(validateCreditorId(ci)).toEqual({ ok: true, value: ci });
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// pagoPA numero avviso
// ---------------------------------------------------------------------------------------------

describe('Numero avviso pagoPA', () => {
  for (const [n, why] of Object.entries(vectors.numero_avviso_valid)) {
    it(`accetta ${n} (${why})`, () => expectOk(validateNumeroAvviso(n), n));
  }
  for (const n of vectors.numero_avviso_check_invalid) {
    it(`rifiuta ${n} (cifre di controllo)`, () =>
      expectFail(validateNumeroAvviso(n), 'Cifre di controllo del numero avviso errate'));
  }

  it('altri errori', () => {
    expectFail(validateNumeroAvviso(''), 'obbligatorio');
    expectFail(validateNumeroAvviso('30100000000000014'), 'deve avere 18 cifre');
    expectFail(validateNumeroAvviso('30100000000000014A'), 'solo cifre');
    expectFail(validateNumeroAvviso('401000000000000144'), 'Cifra ausiliaria');
    expectFail(validateNumeroAvviso('901000000000000144'), 'Cifra ausiliaria');
  });

  it('ignora gli spazi (come stampato sugli avvisi)', () => {
    expectOk(validateNumeroAvviso('3010 0000 0000 0001 44'), '301000000000000144');
  });

  it('aux 1: IUV di 17 cifre senza cifre di controllo', () => {
    expectOk(validateNumeroAvviso('112345678901234567'), '112345678901234567');
    expect(parseNumeroAvviso('112345678901234567')).toEqual({ auxDigit: 1, iuv: '12345678901234567' });
  });

  it('scompone nelle parti', () => {
    expect(parseNumeroAvviso('301000000000000144')).toEqual({
      auxDigit: 3,
      segregationCode: '01',
      iuv: '01000000000000144',
    });
    expect(parseNumeroAvviso('044012345678901283')).toEqual({
      auxDigit: 0,
      applicationCode: '44',
      iuv: '012345678901283',
    });
    expect(parseNumeroAvviso('212345678901234544')).toEqual({ auxDigit: 2, iuv: '12345678901234544' });
    expect(() => parseNumeroAvviso('044012345678901200')).toThrow('Cifre di controllo');
  });

  it('costruisce numeri avviso validi', () => {
    expect(buildNumeroAvviso({ auxDigit: 3, segregationCode: '01', iuvBase: '0000000000001' })).toBe('301000000000000144');
    expect(buildNumeroAvviso({ auxDigit: 3, segregationCode: '12', iuvBase: '2025100000042' })).toBe('312202510000004279');
    expect(buildNumeroAvviso({ auxDigit: 0, applicationCode: '44', iuvBase: '0123456789012' })).toBe('044012345678901283');
    expect(buildNumeroAvviso({ auxDigit: 2, iuvBase: '123456789012345' })).toBe('212345678901234544');
    expect(computeNumeroAvvisoCheckDigits('3010000000000001')).toBe('44');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }), (aux, rest) => {
        const digits = (aux.toString() + rest.toString().padStart(16, '0')).slice(0, 16);
        const n =
          aux === 0
            ? buildNumeroAvviso({ auxDigit: 0, applicationCode: digits.slice(1, 3), iuvBase: digits.slice(3) })
            : aux === 1
              ? buildNumeroAvviso({ auxDigit: 1, iuv: rest.toString().padStart(17, '0') })
              : aux === 2
                ? buildNumeroAvviso({ auxDigit: 2, iuvBase: digits.slice(1) })
                : buildNumeroAvviso({ auxDigit: 3, segregationCode: digits.slice(1, 3), iuvBase: digits.slice(3) });
        expect(validateNumeroAvviso(n)).toEqual({ ok: true, value: n });
        if (aux !== 1) {
          expect(Number(BigInt(n.slice(0, 16)) % 93n)).toBe(Number(n.slice(16)));
        }
      }),
    );
  });
});
