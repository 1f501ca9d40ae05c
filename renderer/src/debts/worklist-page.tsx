import { useMemo, useState } from 'react';
import { Alert, Badge, Box, Button, Checkbox, Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileTypePdf, IconMailForward, IconTruckDelivery } from '@tabler/icons-react';
import { ApiError, call } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { downloadBase64 } from '../components/export-button';
import { PageHeader } from '../components/page';
import { EmptyRow, TableHead } from '../components/table-parts';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { MunicipalityFilter } from '../master-data/lookups';
import { routeQuery } from '../app/router';
import { DeliveryDialog, type DeliveryStep } from './delivery-dialog';
import { PositionsList } from './positions-list';
import { CHANNEL_COLOR, DEBT_AGE_BAND_LABEL, DEBT_CHANNEL_SHORT, DEBT_PLAN_STATUS_LABEL, days, openDebtFamily, plural, RECEIPT_CHANNELS, type Worklist } from './labels';
import { FormModal } from '../components/form-dialog';

type NewStep = Worklist['newSteps'][number];
type Family = { payerId: number; payerName: string; municipalityId: number };

const keyOf = (f: { payerId: number; municipalityId: number }) => `${f.payerId}/${f.municipalityId}`;
const open = (f: Family & { payerTaxCode?: string }) => openDebtFamily({ payerId: f.payerId, municipalityId: f.municipalityId, label: f.payerTaxCode ? `${f.payerName} · ${f.payerTaxCode}` : f.payerName });

/** The family's name in a list: a link to its debt file. */
function FamilyCell({ f }: { f: Family & { payerTaxCode?: string } }) {
  return (
    <>
      <Text size="sm" fw={500} c="blue.8" style={{ cursor: 'pointer' }} onClick={() => open(f)} data-testid="family-link">
        {f.payerName}
      </Text>
      {f.payerTaxCode && (
        <Text size="xs" c="dimmed" ff="monospace">
          {f.payerTaxCode}
        </Text>
      )}
    </>
  );
}

/** Exempt (social services) and instalment-plan notes beside a family. */
function FamilyNotes({ f }: { f: Pick<NewStep, 'exempt' | 'exemptionReference' | 'plan'> }) {
  return (
    <Group gap={4}>
      {f.exempt && (
        <Badge size="sm" variant="light" color="violet" title={`Seguita dai servizi sociali: ${f.exemptionReference ?? ''}`}>
          Esente
        </Badge>
      )}
      {f.plan && (
        <Badge size="sm" variant="light" color={f.plan.status === 'non_rispettato' ? 'red' : 'teal'}>
          Piano: {DEBT_PLAN_STATUS_LABEL[f.plan.status].toLowerCase()}
        </Badge>
      )}
    </Group>
  );
}

/**
 * Morosità: the morning worklist of the fees office (issue 11). Families that reached a new step of
 * their municipality's procedure today (what to send, by which channel, how much, since when),
 * chosen and sent in one batch of letters (one PDF to print); letters by registered mail or PEC
 * still waiting for their delivery receipt; families paused by a respected instalment plan; those a
 * payment brought back down or closed. Every family opens its debt file. Office only (D3).
 */
export function DebtWorklistPage() {
  // the dashboard may open the list on one municipality (#/morosita?comune=3)
  const [municipality, setMunicipality] = useState<string | null>(() => routeQuery('comune'));
  const filter = useMemo(() => (municipality ? { municipalityId: Number(municipality) } : {}), [municipality]);
  const w = useQuery('debts.worklist', filter);
  const totals = useQuery('debts.totals', {});
  const [tab, setTab] = useState<string | null>('nuovi');
  const [delivery, setDelivery] = useState<DeliveryStep | null>(null);

  const shownTotals = (totals.data ?? []).filter((t) => !municipality || t.municipalityId === Number(municipality));
  const sum = (pick: (t: (typeof shownTotals)[number]) => number) => shownTotals.reduce((s, t) => s + pick(t), 0);
  const data = w.data;

  return (
    <Stack gap="sm">
      <PageHeader
        title="Morosità"
        description="La lista del mattino: chi è arrivato a un nuovo passo della procedura del suo comune, cosa inviare, e le lettere in attesa della ricevuta di consegna"
      />
      <Group align="flex-end" gap="sm">
        <MunicipalityFilter value={municipality} onChange={setMunicipality} w={220} placeholder="Tutti i comuni" />
        {data && (
          <Text size="sm" c="dimmed">
            Situazione di oggi, {formatDate(data.today)}, calcolata dal libro contabile
          </Text>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm" data-testid="debt-totals">
        <Paper withBorder p="xs" radius="md">
          <Text size="xs" c="dimmed">
            Famiglie con debito
          </Text>
          <Text fw={700} fz="lg">
            {plural(sum((t) => t.families), 'famiglia', 'famiglie')} · {formatCents(sum((t) => t.owedCents))}
          </Text>
        </Paper>
        {(['0-30', '31-90', 'oltre_90'] as const).map((band) => (
          <Paper key={band} withBorder p="xs" radius="md">
            <Text size="xs" c="dimmed">
              Debito da {DEBT_AGE_BAND_LABEL[band].toLowerCase()}
            </Text>
            <Text fw={700} fz="lg" c={band === 'oltre_90' && sum((t) => t.bands.find((b) => b.band === band)?.families ?? 0) > 0 ? 'red.8' : undefined}>
              {plural(sum((t) => t.bands.find((b) => b.band === band)?.families ?? 0), 'famiglia', 'famiglie')} · {formatCents(sum((t) => t.bands.find((b) => b.band === band)?.owedCents ?? 0))}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="nuovi" leftSection={<IconMailForward size={16} />}>
            Nuovi passi da inviare{data ? ` (${data.newSteps.length})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="consegne" leftSection={<IconTruckDelivery size={16} />}>
            In attesa di ricevuta{data ? ` (${data.awaitingDelivery.length})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="pausa">In pausa per un piano{data ? ` (${data.paused.length})` : ''}</Tabs.Tab>
          <Tabs.Tab value="rientrate">Rientrate o chiuse{data ? ` (${data.movedBack.length})` : ''}</Tabs.Tab>
          <Tabs.Tab value="tutte">Tutte le posizioni</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="nuovi" pt="sm">
          {data && <NewSteps rows={data.newSteps} today={data.today} onDone={() => void w.reload()} />}
        </Tabs.Panel>
        <Tabs.Panel value="consegne" pt="sm">
          {data && (
            <AwaitingDelivery
              rows={data.awaitingDelivery}
              onRecord={(r) => setDelivery({ id: r.stepId, payerName: r.payerName, stepName: r.stepName, channel: r.channel, reachedOn: r.reachedOn })}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="pausa" pt="sm">
          {data && (
            <Table striped withTableBorder fz="sm" data-testid="debts-paused" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <TableHead cells={['Famiglia', 'Comune', { label: 'Debito', right: true, w: 110 }, { label: 'Dal', w: 110 }, 'Passo che sarebbe dovuto', 'Piano di rientro']} />
              <Table.Tbody>
                {data.paused.map((r) => (
                  <Table.Tr key={keyOf(r)}>
                    <Table.Td>
                      <FamilyCell f={r} />
                    </Table.Td>
                    <Table.Td>{r.municipalityName}</Table.Td>
                    <Table.Td ta="right">{formatCents(r.owedCents)}</Table.Td>
                    <Table.Td>{formatDate(r.oldestUnpaidOn)}</Table.Td>
                    <Table.Td>{r.stepName}</Table.Td>
                    <Table.Td>
                      <FamilyNotes f={r} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {data.paused.length === 0 && <EmptyRow colSpan={6}>Nessuna famiglia in pausa: i piani di rientro rispettati fermano qui la procedura</EmptyRow>}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="rientrate" pt="sm">
          {data && (
            <Table striped withTableBorder fz="sm" data-testid="debts-moved-back" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <TableHead cells={['Famiglia', 'Comune', 'Ultimo passo', { label: 'Pagamento del', w: 130 }, { label: 'Debito oggi', right: true, w: 120 }, 'Posizione']} />
              <Table.Tbody>
                {data.movedBack.map((r) => (
                  <Table.Tr key={keyOf(r)}>
                    <Table.Td>
                      <FamilyCell f={r} />
                    </Table.Td>
                    <Table.Td>{r.municipalityName}</Table.Td>
                    <Table.Td>
                      {r.lastStepName} del {formatDate(r.lastStepOn)}
                    </Table.Td>
                    <Table.Td>{formatDate(r.lastPaymentOn)}</Table.Td>
                    <Table.Td ta="right">{formatCents(r.owedCents)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.status === 'chiusa' ? 'green' : 'teal'}>
                        {r.status === 'chiusa' ? 'Chiusa: pagato tutto' : 'Rientrata sotto la soglia'}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {data.movedBack.length === 0 && <EmptyRow colSpan={6}>Nessun pagamento dopo un passo negli ultimi 30 giorni</EmptyRow>}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="tutte" pt="sm">
          <PositionsList municipalityId={municipality ? Number(municipality) : undefined} />
        </Tabs.Panel>
      </Tabs>
      {delivery && (
        <DeliveryDialog
          step={delivery}
          onClose={() => setDelivery(null)}
          onSaved={() => {
            setDelivery(null);
            void w.reload();
          }}
        />
      )}
    </Stack>
  );
}

/** The families to send a new step to: choose, then one batch of letters. */
function NewSteps({ rows, today, onDone }: { rows: NewStep[]; today: string; onDone: () => void }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<{ stepIds: number[]; families: number; receipts: number; fileName: string } | null>(null);
  const chosen = rows.filter((r) => selected.has(keyOf(r)));
  const all = rows.length > 0 && chosen.length === rows.length;

  const toggle = (k: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });

  async function downloadAgain(combined: boolean) {
    if (!done) return;
    try {
      const f = await call('debts.steps.letters', { stepIds: done.stepIds, combined });
      downloadBase64(f.fileName, f.contentBase64, f.mimeType);
    } catch (err) {
      notifyError(err, 'Lettere non scaricate');
    }
  }

  return (
    <Stack gap="xs">
      {done && (
        <Alert color="green" icon={<IconCircleCheck />} withCloseButton onClose={() => setDone(null)} data-testid="letters-done">
          <Text size="sm">
            Registrati {plural(done.families, 'passo', 'passi')} oggi, {formatDate(today)}: le lettere sono in <b>{done.fileName}</b>, conservate anche nel fascicolo di ogni famiglia.
            {done.receipts > 0 && ` ${plural(done.receipts, 'lettera va', 'lettere vanno')} con raccomandata o PEC: quando arriva la ricevuta, registrarla da «In attesa di ricevuta».`}
          </Text>
          <Group gap="xs" mt={6}>
            <Button size="compact-sm" variant="light" leftSection={<IconFileTypePdf size={14} />} onClick={() => void downloadAgain(true)}>
              Scarica di nuovo il PDF da stampare
            </Button>
            {done.stepIds.length > 1 && (
              <Button size="compact-sm" variant="subtle" onClick={() => void downloadAgain(false)}>
                Un PDF per famiglia (zip)
              </Button>
            )}
          </Group>
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {rows.length === 0
            ? ''
            : chosen.length === 0
              ? 'Spuntare le famiglie a cui inviare il passo (o tutte, dalla casella in alto), poi «Genera lettere»'
              : `${plural(chosen.length, 'famiglia scelta', 'famiglie scelte')} su ${rows.length}, ${formatCents(chosen.reduce((s, r) => s + r.owedCents, 0))}`}
        </Text>
        <Button leftSection={<IconFileTypePdf size={16} />} disabled={chosen.length === 0} onClick={() => setConfirming(true)} data-testid="generate-letters">
          Genera lettere{chosen.length ? ` (${chosen.length})` : ''}
        </Button>
      </Group>
      <ScrollArea.Autosize mah="calc(100dvh - 400px)" type="auto">
        <Table striped withTableBorder highlightOnHover fz="sm" data-testid="debts-new-steps" style={{ fontVariantNumeric: 'tabular-nums' }} miw={1050}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>
                <Checkbox aria-label="Scegli tutte" checked={all} indeterminate={chosen.length > 0 && !all} onChange={() => setSelected(all ? new Set() : new Set(rows.map(keyOf)))} />
              </Table.Th>
              <Table.Th>Famiglia</Table.Th>
              <Table.Th>Comune</Table.Th>
              <Table.Th>Da inviare</Table.Th>
              <Table.Th>Mezzo</Table.Th>
              <Table.Th ta="right">Debito</Table.Th>
              <Table.Th ta="right">Pasti oltre il credito</Table.Th>
              <Table.Th>Non pagato dal</Table.Th>
              <Table.Th>Ultimo passo</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={keyOf(r)} data-testid="new-step-row" bg={selected.has(keyOf(r)) ? 'var(--mantine-color-blue-light)' : undefined}>
                <Table.Td>
                  <Checkbox aria-label={`Scegli ${r.payerName}`} checked={selected.has(keyOf(r))} onChange={() => toggle(keyOf(r))} />
                </Table.Td>
                <Table.Td>
                  <FamilyCell f={r} />
                </Table.Td>
                <Table.Td>{r.municipalityName}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {r.stepPosition}. {r.stepName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={CHANNEL_COLOR[r.channel]} tt="none">
                    {DEBT_CHANNEL_SHORT[r.channel]}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatCents(r.owedCents)}
                </Table.Td>
                <Table.Td ta="right">{r.meals || ''}</Table.Td>
                <Table.Td>
                  {formatDate(r.oldestUnpaidOn)}
                  <Text size="xs" c={r.ageDays > 90 ? 'red' : 'dimmed'}>
                    {r.ageDays === 0 ? 'da oggi' : `da ${days(r.ageDays)}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.lastStepName ? (
                    <>
                      {r.lastStepName}
                      <Text size="xs" c="dimmed">
                        {formatDate(r.lastStepOn)}, {days(r.daysSincePrevious)} fa
                      </Text>
                    </>
                  ) : (
                    <Text size="xs" c="dimmed">
                      nessuno
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <FamilyNotes f={r} />
                </Table.Td>
              </Table.Tr>
            ))}
            {rows.length === 0 && (
              <EmptyRow colSpan={10} py="md">
                Nessuna famiglia è arrivata oggi a un nuovo passo
              </EmptyRow>
            )}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {confirming && (
        <GenerateLetters
          families={chosen}
          onClose={() => setConfirming(false)}
          onDone={(out) => {
            setConfirming(false);
            setSelected(new Set());
            setDone(out);
            onDone();
          }}
        />
      )}
    </Stack>
  );
}

/** What the batch will do, step by step, then: record the steps (with their letters) and download one PDF to print. */
function GenerateLetters({ families, onClose, onDone }: { families: NewStep[]; onClose: () => void; onDone: (out: { stepIds: number[]; families: number; receipts: number; fileName: string }) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const groups = useMemo(() => {
    const m = new Map<string, { stepName: string; channel: NewStep['channel']; count: number; cents: number }>();
    for (const f of families) {
      const k = `${f.stepName}/${f.channel}`;
      const g = m.get(k) ?? { stepName: f.stepName, channel: f.channel, count: 0, cents: 0 };
      g.count++;
      g.cents += f.owedCents;
      m.set(k, g);
    }
    return [...m.values()];
  }, [families]);
  const exempt = families.filter((f) => f.exempt).length;

  async function confirm() {
    setBusy(true);
    setErrors([]);
    try {
      const rows = await call('debts.steps.record', { families: families.map((f) => ({ payerId: f.payerId, municipalityId: f.municipalityId, stepPosition: f.stepPosition })), note });
      const stepIds = rows.map((r) => r.id);
      let fileName = '';
      try {
        const file = await call('debts.steps.letters', { stepIds, combined: true });
        downloadBase64(file.fileName, file.contentBase64, file.mimeType);
        fileName = file.fileName;
      } catch (err) {
        notifyError(err, 'Passi registrati, lettere non scaricate: riprovare dal riquadro verde');
      }
      notifySuccess(`${plural(rows.length, 'lettera generata', 'lettere generate')}`, 'Passi registrati');
      onDone({ stepIds, families: rows.length, receipts: rows.filter((r) => RECEIPT_CHANNELS.includes(r.channel)).length, fileName });
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setErrors(err.issues.map((i) => i.message));
      else setErrors([err instanceof Error ? err.message : String(err)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal dirty={note.trim() !== ''} onClose={onClose} title={`Genera le lettere per ${plural(families.length, 'famiglia', 'famiglie')}`} size="lg">
      <Stack gap="sm" data-testid="generate-letters-dialog">
        <Table withTableBorder fz="sm">
          <TableHead cells={['Passo', 'Mezzo', { label: 'Famiglie', right: true }, { label: 'Importo', right: true }]} />
          <Table.Tbody>
            {groups.map((g) => (
              <Table.Tr key={`${g.stepName}/${g.channel}`}>
                <Table.Td>{g.stepName}</Table.Td>
                <Table.Td>{DEBT_CHANNEL_SHORT[g.channel]}</Table.Td>
                <Table.Td ta="right">{g.count}</Table.Td>
                <Table.Td ta="right">{formatCents(g.cents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm">
          Per ogni famiglia si registra oggi il passo e si produce la sua lettera (importi per alunno e anno scolastico, termine per pagare), conservata nel fascicolo. Si scarica un solo PDF
          con tutte le lettere, da stampare o da inviare.
        </Text>
        {exempt > 0 && (
          <Alert color="violet" variant="light">
            {plural(exempt, 'famiglia è seguita', 'famiglie sono seguite')} dai servizi sociali: i solleciti si inviano, ma non potranno essere sospese.
          </Alert>
        )}
        <Textarea label="Nota (facoltativa, resta nella storia di ogni famiglia)" autosize minRows={1} maxLength={1000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        {errors.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Nessun passo registrato" data-testid="generate-letters-error">
            {errors.map((e) => (
              <Text key={e} size="sm">
                {e}
              </Text>
            ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button loading={busy} leftSection={<IconFileTypePdf size={16} />} onClick={() => void confirm()}>
            Registra e scarica le lettere
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

/** Letters sent by registered mail or PEC whose delivery receipt has not been recorded yet. */
function AwaitingDelivery({ rows, onRecord }: { rows: Worklist['awaitingDelivery']; onRecord: (r: Worklist['awaitingDelivery'][number]) => void }) {
  return (
    <Box>
      <Table striped withTableBorder fz="sm" data-testid="debts-awaiting" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <TableHead cells={['Famiglia', 'Comune', 'Passo', 'Mezzo', { label: 'Inviata il', w: 110 }, { label: 'In attesa da', w: 120 }, { label: '', w: 300 }]} />
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.stepId} data-testid="awaiting-row">
              <Table.Td>
                <FamilyCell f={r} />
              </Table.Td>
              <Table.Td>{r.municipalityName}</Table.Td>
              <Table.Td>{r.stepName}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={CHANNEL_COLOR[r.channel]} tt="none">
                  {DEBT_CHANNEL_SHORT[r.channel]}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDate(r.reachedOn)}</Table.Td>
              <Table.Td c={r.daysWaiting > 30 ? 'red' : undefined}>{days(r.daysWaiting)}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Button size="compact-sm" variant="light" leftSection={<IconTruckDelivery size={14} />} onClick={() => onRecord(r)}>
                    Registra consegna
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    onClick={() =>
                      void call('debts.steps.letters', { stepIds: [r.stepId] })
                        .then((f) => downloadBase64(f.fileName, f.contentBase64, f.mimeType))
                        .catch((err) => notifyError(err, 'Lettera non scaricata'))
                    }
                  >
                    Lettera
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {rows.length === 0 && <EmptyRow colSpan={7}>Nessuna raccomandata o PEC in attesa della ricevuta di consegna</EmptyRow>}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
