import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { foldText, readQuery } from '../../../electron/search/service';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';

type Base = Awaited<ReturnType<typeof seedBasics>>;

describe('ricerca globale (search.people, issue 12)', () => {
  let app: TestApp;
  let base: Base;
  beforeEach(async () => {
    // Monday 12 October 2026: the current school year is 2026/2027
    app = await createTestApp('2026-10-12T08:00:00Z');
    base = await seedBasics(app);
  });
  afterEach(() => app.close());

  async function pupil(lastName: string, firstName: string, birthDate = '2018-03-04', schoolId = base.school.id, classId: number | null = base.cls.id) {
    const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate, sex: 'M', belfiore: 'C800' });
    return app.call('pupils.create', { lastName, firstName, birthDate, taxCode, schoolId, classId }, 'operatore');
  }
  const search = (query: string, limit?: number) => app.call('search.people', { query, limit }, 'operatore');
  const names = (r: Awaited<ReturnType<typeof search>>) => r.hits.map((h) => `${h.kind} ${h.lastName} ${h.firstName}`);

  it("un alunno si trova per cognome e nome in qualsiasi ordine, anche in parte, senza accenti né apostrofi", async () => {
    await pupil("D'Angelo", 'Nicolò');
    await pupil('Bianchi', 'Anna');
    for (const q of ['dangelo nicolo', 'Nicolò D’Angelo', "nicol d'ang", 'NICOLO', 'angel']) {
      expect(names(await search(q)), q).toEqual(["alunno D'Angelo Nicolò"]);
    }
    // every word must match: one word of another pupil is not enough
    expect(names(await search('dangelo anna'))).toEqual([]);
  });

  it("un nome scritto con l'accento trova anche chi è registrato senza (e viceversa)", async () => {
    await pupil('Tosi', 'Nicolo');
    expect(names(await search('nicolò tosi'))).toEqual(['alunno Tosi Nicolo']);
  });

  it('codice fiscale (anche minuscolo e con spazi), codice utente e codice disdetta trovano l\'alunno e dicono per quale chiave', async () => {
    const p = await pupil('Rossi', 'Luca');
    await pupil('Rossi', 'Marco');
    const byCf = await search(p.taxCode.toLowerCase().replace(/(.{4})/g, '$1 '));
    expect(byCf.hits.map((h) => [h.id, h.matchedBy])).toEqual([[p.id, 'codice_fiscale']]);
    const byBadge = await search(p.userCode);
    expect(byBadge.hits.map((h) => [h.id, h.matchedBy])).toEqual([[p.id, 'codice_utente']]);
    expect(byBadge.hits[0]).toMatchObject({ kind: 'alunno', userCode: p.userCode, taxCode: p.taxCode, schoolName: 'Primaria Clusone', className: '3A', municipalityName: 'Clusone' });
    const byPhone = await search(p.phoneCode);
    expect(byPhone.hits.map((h) => [h.id, h.matchedBy])).toEqual([[p.id, 'codice_disdetta']]);
    // part of a codice fiscale is part of a word
    expect((await search(p.taxCode.slice(0, 9))).hits.map((h) => h.id)).toContain(p.id);
  });

  it('un codice esatto viene prima dei nomi che lo contengono per caso', async () => {
    const a = await pupil('Verdi', 'Aldo');
    // a payer whose codice fiscale contains nothing of it, a pupil whose name does not either: only the badge matches
    const r = await search(a.userCode.slice(0, 7));
    expect(r.hits.map((h) => h.id)).toContain(a.id);
    const exact = await search(a.userCode);
    expect(exact.hits[0]).toMatchObject({ id: a.id, matchedBy: 'codice_utente' });
  });

  it('un pagante si trova per nome o codice fiscale e porta con sé i nomi dei figli iscritti', async () => {
    const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
    const luca = await pupil('Rossi', 'Luca');
    const sara = await pupil('Rossi', 'Sara', '2019-05-06');
    for (const p of [luca, sara]) {
      await app.call('enrollments.create', { pupilId: p.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd', startsOn: '2026-09-14', activate: false }, 'operatore');
    }
    const byName = await search('mario rossi');
    expect(names(byName)).toEqual(['pagante Rossi Mario']);
    expect(byName.hits[0]).toMatchObject({ id: payer.id, taxCode: VALID_PAYER.taxCode, related: 'Rossi Luca, Rossi Sara', userCode: null, municipalityName: 'Clusone' });
    const byCf = await search(VALID_PAYER.taxCode);
    expect(byCf.hits.map((h) => [h.kind, h.id, h.matchedBy])).toEqual([['pagante', payer.id, 'codice_fiscale']]);
    // "rossi" finds the family: the payer and both children; a pupil names the payer of the year's enrollment
    const family = await search('rossi');
    expect(names(family)).toEqual(['alunno Rossi Luca', 'pagante Rossi Mario', 'alunno Rossi Sara']);
    expect(family.hits[0].related).toBe('Rossi Mario');
  });

  it("scuola e classe di un alunno sono quelle dell'iscrizione dell'anno in corso", async () => {
    const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
    const p = await pupil('Neri', 'Ugo');
    await app.call('enrollments.create', { pupilId: p.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.cassinoSchool.id, classId: null, weekdays: [1, 3], paymentMethod: 'sdd', startsOn: '2026-09-14', activate: false }, 'operatore');
    expect((await search('neri ugo')).hits[0]).toMatchObject({ schoolName: 'Infanzia Cassino', className: null, municipalityName: 'Cassino' });
  });

  it('i risultati hanno un limite: 12 se non indicato, "more" dice che ce ne sono altri', async () => {
    for (let i = 0; i < 14; i++) await pupil('Gallo', ['Anna', 'Bice', 'Carla', 'Dora', 'Elsa', 'Fede', 'Gina', 'Ilda', 'Lina', 'Mara', 'Nina', 'Olga', 'Pia', 'Rita'][i], `2018-01-${String(i + 1).padStart(2, '0')}`);
    const all = await search('gallo');
    expect(all.hits).toHaveLength(12);
    expect(all.more).toBe(true);
    expect(all.hits.map((h) => h.firstName)).toEqual(['Anna', 'Bice', 'Carla', 'Dora', 'Elsa', 'Fede', 'Gina', 'Ilda', 'Lina', 'Mara', 'Nina', 'Olga']);
    const five = await search('gallo', 5);
    expect(five.hits).toHaveLength(5);
    expect(five.more).toBe(true);
    const fifty = await search('gallo', 50);
    expect(fifty.hits).toHaveLength(14);
    expect(fifty.more).toBe(false);
  });

  it('un testo troppo corto, troppo lungo o con caratteri di controllo, e un limite fuori misura, sono rifiutati in italiano', async () => {
    const short = await app.fail('search.people', { query: ' a ' }, 'operatore');
    expect(short.code).toBe('VALIDATION');
    expect(short.issues[0]).toMatchObject({ path: ['query'], message: 'Scrivere almeno 2 caratteri' });
    expect((await app.fail('search.people', { query: 'x'.repeat(101) }, 'operatore')).issues[0].message).toBe('Al massimo 100 caratteri');
    expect((await app.fail('search.people', { query: 'ro\u0000ssi' }, 'operatore')).issues[0].path).toEqual(['query']);
    expect((await app.fail('search.people', { query: 'rossi', limit: 51 }, 'operatore')).issues[0]).toMatchObject({ path: ['limit'], message: 'Al massimo 50 risultati' });
    expect((await app.fail('search.people', { query: 'rossi', limit: 0 }, 'operatore')).issues[0].message).toBe('Almeno 1 risultato');
  });

  it('i caratteri speciali di LIKE sono cercati come testo', async () => {
    await pupil('Bruno', 'Ada');
    expect(names(await search('%%'))).toEqual([]);
    expect(names(await search('b_uno'))).toEqual([]);
  });
});

describe('lettura del testo cercato', () => {
  it('riconosce codice utente (8 cifre), codice disdetta (6 cifre) e codice fiscale, anche con spazi e minuscole', () => {
    expect(readQuery('1000 0001')).toMatchObject({ userCode: '10000001', phoneCode: null, taxCode: null });
    expect(readQuery(' 123456 ')).toMatchObject({ userCode: null, phoneCode: '123456', taxCode: null });
    expect(readQuery('rssmra85t10a562s')).toMatchObject({ taxCode: 'RSSMRA85T10A562S' });
    expect(readQuery('rossi mario')).toMatchObject({ userCode: null, phoneCode: null, taxCode: null, words: ['rossi', 'mario'] });
  });
  it('toglie accenti e apostrofi e porta in minuscolo', () => {
    expect(foldText("D'Àngelo Nicolò Perè")).toBe('dangelo nicolo pere');
  });
});
