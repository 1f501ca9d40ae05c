import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group, Select, Stack, Table, Tabs, Text } from '@mantine/core';
import { TableHead, EmptyRow } from '../components/table-parts';
import { IconAlertTriangle } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { PageHeader } from '../components/page';
import { MoneyField } from '../components/fields';
import { navigate } from '../app/router';
import { rememberPupil } from '../attendance/selected-pupil';
import { centsToInput, formatCents, parseEuroToCents } from '../format/money';
import { formatDate } from '../format/dates';
import { currentYear, municipalityOptions, romeToday, useLookups, yearOptions } from '../master-data/lookups';
import { conflictOf, FormModal } from '../components/form-dialog';
import { isStaleVersion } from '../components/form';

function openAccount(pupilId: number, label: string) {
  rememberPupil({ value: String(pupilId), label });
  navigate('/conto-alunno');
}

/**
 * Credito e solleciti (P1): pupils in debt or under the office's threshold, and families to remind
 * before the first month (less than a month of meals in credit). A supervisor sets the threshold
 * and runs the year-end carry-over (P3).
 */
export function CreditPage() {
  const lookups = useLookups();
  const session = useSession();
  const today = romeToday();
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [yearId, setYearId] = useState<string | null>(() => {
    const y = currentYear(lookups.schoolYears, today);
    return y ? String(y.id) : null;
  });
  const [thresholdOpen, setThresholdOpen] = useState(false);
  const [carryOpen, setCarryOpen] = useState(false);
  const mun = municipalityId ? Number(municipalityId) : undefined;
  const low = useQuery('ledger.lowBalances', { municipalityId: mun });
  const reminders = useQuery('ledger.firstMonthReminders', yearId ? { schoolYearId: Number(yearId), municipalityId: mun } : null);
  const supervisor = session.can('supervisore');

  return (
    <Stack>
      <PageHeader
        title="Credito e solleciti"
        description={low.data ? `Alunni in debito o con credito mensa sotto ${formatCents(low.data.thresholdCents)}, famiglie da avvisare prima del primo mese` : ' '}
        actions={
          supervisor && (
            <>
              <Button variant="default" onClick={() => setThresholdOpen(true)}>
                Soglia di avviso
              </Button>
              <Button variant="default" onClick={() => setCarryOpen(true)}>
                Riporto di fine anno
              </Button>
            </>
          )
        }
      />
      <Group align="flex-end">
        <Select label="Comune" placeholder="Tutti i comuni" clearable data={municipalityOptions(lookups.municipalities)} value={municipalityId} onChange={setMunicipalityId} w={220} />
      </Group>
      <Tabs defaultValue="soglia">
        <Tabs.List>
          <Tabs.Tab value="soglia">In debito o sotto soglia {low.data ? `(${low.data.rows.length})` : ''}</Tabs.Tab>
          <Tabs.Tab value="primo-mese">Prima del primo mese {reminders.data ? `(${reminders.data.length})` : ''}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="soglia" pt="sm">
          <Table striped withTableBorder highlightOnHover data-testid="low-balances" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <TableHead cells={['Alunno', 'Scuola', 'Comune', 'Pagante', 'Contatti', 'Pagamento', { label: 'Saldo', right: true }]} />
            <Table.Tbody>
              {(low.data?.rows ?? []).map((r) => (
                <Table.Tr key={r.pupilId}>
                  <Table.Td>
                    <Anchor component="button" onClick={() => openAccount(r.pupilId, r.pupilName)}>
                      {r.pupilName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {r.userCode}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.schoolName}</Table.Td>
                  <Table.Td>{r.municipalityName}</Table.Td>
                  <Table.Td>{r.payerName ?? ''}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{[r.payerEmail, r.payerMobile].filter(Boolean).join(' · ')}</Text>
                  </Table.Td>
                  <Table.Td>{r.paymentMethod === 'sdd' ? 'SDD (addebito del mese in arrivo)' : r.paymentMethod === 'prepagato' ? 'Prepagato' : ''}</Table.Td>
                  <Table.Td ta="right" c={r.debt ? 'red' : 'orange'} fw={600}>
                    {formatCents(r.balanceCents)}
                  </Table.Td>
                </Table.Tr>
              ))}
              {low.data && low.data.rows.length === 0 && <EmptyRow colSpan={7}>Nessun alunno in debito o sotto la soglia</EmptyRow>}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="primo-mese" pt="sm">
          <Group mb="sm">
            <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={yearId} onChange={setYearId} w={180} allowDeselect={false} />
          </Group>
          <Table striped withTableBorder highlightOnHover data-testid="first-month" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <TableHead cells={['Alunno', 'Pagante', 'Contatti', 'Dal', { label: 'Pasti del mese', right: true }, { label: 'Serve', right: true }, { label: 'Credito', right: true }, { label: 'Manca', right: true }]} />
            <Table.Tbody>
              {(reminders.data ?? []).map((r) => (
                <Table.Tr key={r.enrollmentId}>
                  <Table.Td>
                    <Anchor component="button" onClick={() => openAccount(r.pupilId, r.pupilName)}>
                      {r.pupilName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.schoolName}, {r.municipalityName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.payerName}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{[r.payerEmail, r.payerMobile].filter(Boolean).join(' · ')}</Text>
                  </Table.Td>
                  <Table.Td>{formatDate(r.startsOn)}</Table.Td>
                  <Table.Td ta="right">{r.expectedMeals}</Table.Td>
                  <Table.Td ta="right">{formatCents(r.requiredCents)}</Table.Td>
                  <Table.Td ta="right">{formatCents(r.balanceCents)}</Table.Td>
                  <Table.Td ta="right" c="orange" fw={600}>
                    {formatCents(r.missingCents)}
                  </Table.Td>
                </Table.Tr>
              ))}
              {reminders.data && reminders.data.length === 0 && <EmptyRow colSpan={8}>Nessuna famiglia da avvisare</EmptyRow>}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
      {thresholdOpen && low.data && (
        <ThresholdModal
          current={low.data.thresholdCents}
          onClose={() => setThresholdOpen(false)}
          onSaved={() => {
            setThresholdOpen(false);
            void low.reload();
          }}
        />
      )}
      {carryOpen && <CarryOverModal onClose={() => setCarryOpen(false)} onDone={() => void low.reload()} />}
    </Stack>
  );
}

function ThresholdModal({ current, onClose, onSaved }: { current: number; onClose: () => void; onSaved: () => void }) {
  const [text, setText] = useState(centsToInput(current));
  const [saved, setSaved] = useState(current);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // issue 14: the version of the threshold, sent back with the save; a conflict stays in the window with «Ricarica»
  const [version, setVersion] = useState<number | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const load = (replace: boolean) =>
    call('ledger.settings', {})
      .then((s) => {
        setVersion(s.version);
        if (replace) {
          setText(centsToInput(s.lowBalanceThresholdCents));
          setSaved(s.lowBalanceThresholdCents);
          setConflict(null);
        }
      })
      .catch((err) => notifyError(err));
  useEffect(() => {
    void load(false);
  }, []);
  async function save() {
    const cents = parseEuroToCents(text);
    if (cents === null) {
      setError('Scrivere un importo, ad esempio 10,00');
      return;
    }
    setBusy(true);
    try {
      await call('ledger.setLowBalanceThreshold', { thresholdCents: cents, version: version ?? 0 });
      notifySuccess(`Soglia di avviso: ${formatCents(cents)}`);
      onSaved();
    } catch (err) {
      if (isStaleVersion(err)) setConflict(err.message);
      else notifyError(err, 'Soglia non salvata');
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormModal dirty={text !== centsToInput(saved)} onClose={onClose} title="Soglia di avviso del credito mensa" conflict={conflictOf(conflict, () => void load(true))}>
      <Stack>
        <MoneyField label="Avvisare le famiglie con credito sotto" value={text} onChange={(e) => setText(e.currentTarget.value)} error={error} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Salva
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

function CarryOverModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const lookups = useLookups();
  const years = [...lookups.schoolYears].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const today = romeToday();
  const ended = years.filter((y) => y.endsOn < today);
  const lastEnded = ended.length ? String(ended[ended.length - 1].id) : null;
  const [fromId, setFromId] = useState<string | null>(lastEnded);
  const next = fromId ? years.find((y) => y.startsOn > (years.find((x) => String(x.id) === fromId)?.startsOn ?? '')) : undefined;
  const preview = useQuery('ledger.carryOverPreview', fromId && next ? { fromSchoolYearId: Number(fromId), toSchoolYearId: next.id } : null);
  const [busy, setBusy] = useState(false);
  async function run() {
    if (!fromId || !next) return;
    setBusy(true);
    try {
      const r = await call('ledger.carryOver', { fromSchoolYearId: Number(fromId), toSchoolYearId: next.id });
      notifySuccess(`${r.accounts} conti riportati dal ${r.fromYear} al ${r.toYear}: credito ${formatCents(r.creditCents)}, debito ${formatCents(r.debtCents)}`, 'Riporto eseguito');
      onDone();
      onClose();
    } catch (err) {
      notifyError(err, 'Riporto non eseguito');
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormModal dirty={fromId !== lastEnded} onClose={onClose} title="Riporto di fine anno" size="lg">
      <Stack>
        <Text size="sm">Il credito residuo (e il debito) di ogni conto passa al conto dello stesso alunno e servizio nell&apos;anno successivo. Si può ripetere: riporta solo ciò che resta.</Text>
        <Select label="Anno concluso" data={yearOptions(ended)} value={fromId} onChange={setFromId} w={200} allowDeselect={false} />
        {fromId && !next && (
          <Alert color="orange" icon={<IconAlertTriangle />}>
            Creare prima l&apos;anno scolastico successivo (Anagrafiche › Anni scolastici).
          </Alert>
        )}
        {preview.data && next && (
          <Alert color="blue" variant="light" data-testid="carry-preview">
            Verso il {next.label}: {preview.data.accounts} conti, credito {formatCents(preview.data.creditCents)}, debito {formatCents(preview.data.debtCents)}.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button loading={busy} disabled={!next || !preview.data || preview.data.accounts === 0} onClick={() => void run()}>
            Esegui il riporto
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}
