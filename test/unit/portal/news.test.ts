/**
 * F3: news for the families, written by an operator, audited, published to the portal (outbox):
 * created, corrected (the portal replaces it by key), withdrawn (published again as withdrawn).
 */
import { describe, expect, it } from 'vitest';
import { useBasicsApp, type Basics } from '../../support/basics-app';
import type { TestApp } from '../../support/backend';
import { pendingOutbound } from '../../../electron/portal/outbox';
import type { OutboundEvent } from '../../../electron/portal/contract';

let app: TestApp;
let base: Basics;
useBasicsApp('2026-11-16T07:30:00Z', (a, b) => {
  app = a;
  base = b;
});

type NewsEvent = Extract<OutboundEvent, { type: 'news' }>;
const pendingNews = () => pendingOutbound(app.database.db, 100).filter((e): e is NewsEvent => e.type === 'news');

describe('F3: avvisi e news per le famiglie', () => {
  it('F3: scritto, corretto e ritirato; ogni passo è nel registro e arriva al portale', async () => {
    const created = await app.call(
      'news.create',
      { title: 'Sciopero del 20 novembre', body: 'Il servizio mensa non sarà garantito.', municipalityIds: [base.clusone.id], validFrom: '2026-11-16', validTo: '2026-11-20' },
      'operatore',
    );
    expect(created).toMatchObject({ state: 'in_corso', municipalityNames: ['Clusone'], publishedByName: 'operatore', version: 1 });
    let events = pendingNews();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ key: `news:${created.id}`, title: 'Sciopero del 20 novembre', municipalityIds: [base.clusone.id], validTo: '2026-11-20', withdrawn: false });

    const updated = await app.call('news.update', { id: created.id, version: 1, title: 'Sciopero del 20 novembre', body: 'Il servizio mensa non sarà garantito: portare il pranzo al sacco.', municipalityIds: [], validFrom: '2026-11-16', validTo: '2026-11-20' }, 'operatore');
    expect(updated).toMatchObject({ version: 2, municipalityNames: [] });
    // the correction replaces the version not yet sent
    events = pendingNews();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ body: 'Il servizio mensa non sarà garantito: portare il pranzo al sacco.', municipalityIds: [] });

    const withdrawn = await app.call('news.withdraw', { id: created.id }, 'operatore');
    expect(withdrawn.state).toBe('ritirata');
    expect(pendingNews()).toMatchObject([{ key: `news:${created.id}`, withdrawn: true }]);
    expect((await app.fail('news.update', { id: created.id, version: 3, title: 'Sciopero', body: 'x', municipalityIds: [], validFrom: '2026-11-16', validTo: null })).message).toMatch(/ritirato/);
    expect((await app.fail('news.withdraw', { id: created.id })).message).toMatch(/già stato ritirato/);

    const audit = app.database.sqlite.prepare("SELECT procedure, action FROM audit_log WHERE entity = 'avviso_famiglie' ORDER BY id").all();
    expect(audit).toEqual([
      { procedure: 'news.create', action: 'avviso «Sciopero del 20 novembre» pubblicato' },
      { procedure: 'news.update', action: 'avviso «Sciopero del 20 novembre» corretto' },
      { procedure: 'news.withdraw', action: 'avviso «Sciopero del 20 novembre» ritirato' },
    ]);
    // the list keeps it, withdrawn
    expect((await app.call('news.list', {})).rows.map((r) => r.state)).toEqual(['ritirata']);
  });

  it('F3: una modifica fatta su una versione vecchia è rifiutata, e nulla è salvato', async () => {
    const n = await app.call('news.create', { title: 'Menù invernale', body: 'Dal 1° dicembre il menù invernale.', validFrom: '2026-12-01' }, 'operatore');
    await app.call('news.update', { id: n.id, version: 1, title: 'Menù invernale 2026', body: 'Dal 1° dicembre.', validFrom: '2026-12-01' }, 'operatore');
    const err = await app.fail('news.update', { id: n.id, version: 1, title: 'Altro titolo', body: 'Altro', validFrom: '2026-12-01' });
    expect(err.code).toBe('CONFLICT');
    expect((await app.call('news.list', {})).rows[0]).toMatchObject({ title: 'Menù invernale 2026', state: 'programmata' });
  });

  it('F3: date e comuni sbagliati ricevono un messaggio in italiano sul campo', async () => {
    const bad = await app.fail('news.create', { title: 'Gita', body: 'Testo', validFrom: '2026-11-20', validTo: '2026-11-19' });
    expect(bad.issues).toEqual([{ path: ['validTo'], message: "L'ultimo giorno precede il primo" }]);
    const noTown = await app.fail('news.create', { title: 'Gita', body: 'Testo', validFrom: '2026-11-20', municipalityIds: [9999] });
    expect(noTown.issues[0]).toMatchObject({ path: ['municipalityIds'], message: 'Comune inesistente fra quelli scelti' });
    const short = await app.fail('news.create', { title: 'G', body: '', validFrom: '2026-11-20' });
    expect(short.issues.map((i) => i.path[0]).sort()).toEqual(['body', 'title']);
    expect(app.database.sqlite.prepare('SELECT count(*) AS n FROM news').get()).toEqual({ n: 0 });
  });

  it('«Pubblica ora» delle news non ripete ciò che il portale ha già', async () => {
    await app.call('news.create', { title: 'Iscrizioni aperte', body: 'Dal 6 luglio.', validFrom: '2026-11-16' }, 'operatore');
    const r = await app.call('portal.publish', { scope: 'news' }, 'operatore');
    expect(r.counts.news).toEqual({ added: 0, superseded: 0, unchanged: 1 });
    expect((await app.fail('portal.publish', { scope: 'tutto' })).code).toBe('VALIDATION');
  });
});
