import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { TableHead } from '../components/table-parts';
import { IconBell, IconCheck, IconLock, IconLockOpen } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { DataTable } from '../components/data-table';
import { DateField } from '../components/fields';
import { PageHeader } from '../components/page';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { searchPupils } from '../enrollments/enrollment-form';
import { formatDate, formatMoment } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { issuesOf } from '../calendar/closure-form';
import { countFormat, plural } from '../format/words';

type Status = ProcOutput<'attendance.dayStatus'>[number];
type CloseResult = ProcOutput<'attendance.closeDay'>['results'][number];

const fmt = countFormat;
const MODE_LABEL = { automatica: "automaticamente all'orario limite", recupero: 'alla riapertura del programma', manuale: 'a mano' } as const;

function StatusBadge({ s }: { s: Status }) {
  if (s.closed)
    return (
      <Badge color="green" variant="light" leftSection={<IconLock size={12} />}>
        Chiusa
      </Badge>
    );
  if (s.cutoffPassed)
    return (
      <Badge color="orange" variant="light" leftSection={<IconLockOpen size={12} />}>
        Da chiudere
      </Badge>
    );
  return (
    <Badge color="blue" variant="light" leftSection={<IconLockOpen size={12} />}>
      Aperta
    </Badge>
  );
}

/**
 * The day close (A1, A2): at the cutoff each municipality's bookings become recorded meals (the
 * program does it by itself while running; here by hand, idempotent). Shows each municipality's
 * state, the notices of days closed at the next start, and the corrections of a closed day.
 */
export function DayClosePage() {
  const [date, setDate] = useState<string | null>(romeToday());
  const day = date ?? romeToday();
  const status = useQuery('attendance.dayStatus', { date: day });
  const report = useQuery('kitchen.report', { date: day });
  const [confirm, setConfirm] = useState<Status[] | null>(null);
  const [results, setResults] = useState<CloseResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => {
    void status.reload();
    void report.reload();
  };
  // closed by the program at the cutoff, from the dashboard or in another window: shown without a reload
  useChangeNotices(['attendance', 'ledger'], reload);

  useEffect(() => setResults(null), [day]);

  const rows = status.data ?? [];
  const mealsOf = (id: number) => report.data?.municipalities.find((m) => m.municipalityId === id);
  const closable = rows.filter((s) => s.cutoffPassed && !s.closed);

  async function close(list: Status[]) {
    setBusy(true);
    try {
      const out =
        list.length === 1
          ? await call('attendance.closeDay', { date: day, municipalityId: list[0].municipalityId })
          : await call('attendance.closeDay', { date: day });
      setResults(out.results);
      const closed = out.results.filter((r) => r.status === 'chiusa');
      if (closed.length) notifySuccess(closed.map((r) => r.message).join('\n'), `Giornata del ${formatDate(day)} chiusa`);
      setConfirm(null);
      reload();
    } catch (err) {
      notifyError(err, 'Giornata non chiusa');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      <PageHeader
        title="Chiusura giornata"
        description="All'orario limite di ogni comune le prenotazioni del giorno diventano pasti registrati; il programma lo fa da sé mentre è aperto"
        actions={
          <Button leftSection={<IconLock size={16} />} disabled={closable.length === 0} onClick={() => setConfirm(closable)}>
            Chiudi giornata
          </Button>
        }
      />
      <Group align="flex-end">
        <DateField label="Giorno" value={date} onChange={setDate} clearable={false} w={160} />
        <Text size="sm" c="dimmed" pb={6}>
          {closable.length ? plural(closable.length, 'comune da chiudere', 'comuni da chiudere') : ''}
        </Text>
      </Group>
      <DataTable
        testId="day-status"
        rows={rows}
        rowKey={(s) => s.municipalityId}
        empty="Nessun comune attivo"
        columns={[
          { header: 'Comune', render: (s) => <Text fw={600} size="sm">{s.municipalityName}</Text> },
          { header: 'Orario limite', width: 120, render: (s) => `ore ${s.cutoffTime}` },
          { header: 'Stato', width: 150, render: (s) => <StatusBadge s={s} /> },
          {
            header: 'Dettaglio',
            render: (s) =>
              s.closed ? (
                <Text size="sm">
                  Chiusa il {formatMoment(s.closedAt)} {s.mode ? MODE_LABEL[s.mode] : ''}
                </Text>
              ) : s.cutoffPassed ? (
                <Text size="sm">Orario limite superato: le prenotazioni sono definitive, manca la registrazione</Text>
              ) : (
                <Text size="sm">Le famiglie possono ancora disdire fino alle {s.cutoffTime}</Text>
              ),
          },
          {
            header: 'Pasti',
            width: 230,
            align: 'right',
            render: (s) => {
              // the kitchen report's figure: for a closed day, the recorded meals with the corrections applied
              const m = mealsOf(s.municipalityId);
              return (
                <span data-testid={`meals-${s.municipalityId}`}>
                  <b>{m ? fmt.format(m.meals) : '…'}</b>
                  {m?.plain ? ` (${m.plain} in bianco)` : ''} {s.closed ? 'registrati' : 'prenotati'}
                  {!s.closed && (
                    <Badge ml={6} size="xs" color="orange">
                      provvisorio
                    </Badge>
                  )}
                  {s.closed && m && s.meals !== null && s.meals !== m.meals && (
                    <Text size="xs" c="dimmed">
                      {fmt.format(s.meals)} alla chiusura, poi rettificati
                    </Text>
                  )}
                </span>
              );
            },
          },
          {
            header: '',
            width: 100,
            align: 'right',
            render: (s) =>
              !s.closed && (
                <Button size="compact-sm" variant="light" disabled={!s.cutoffPassed} title={s.cutoffPassed ? undefined : `Si chiude dalle ${s.cutoffTime}`} onClick={() => setConfirm([s])}>
                  Chiudi
                </Button>
              ),
          },
        ]}
      />
      {results && (
        <Stack gap={4} data-testid="close-results">
          {results.map((r) => (
            <Alert key={r.municipalityId} color={r.status === 'chiusa' ? 'green' : r.status === 'gia_chiusa' ? 'blue' : 'orange'} icon={<IconCheck size={16} />} py={6}>
              {r.message}
            </Alert>
          ))}
        </Stack>
      )}
      <Notices onChanged={reload} />
      <Corrections date={day} onChanged={reload} />
      {confirm && (
        <Modal opened onClose={() => setConfirm(null)} title={`Chiudere la giornata del ${formatDate(day)}?`} data-testid="close-confirm">
          <Stack gap="sm">
            <Text size="sm">Le prenotazioni diventano pasti registrati e addebitati. Dopo la chiusura una presenza si cambia solo con una rettifica motivata.</Text>
            <Table fz="sm">
              <Table.Tbody>
                {confirm.map((s) => (
                  <Table.Tr key={s.municipalityId}>
                    <Table.Td>Comune di {s.municipalityName}</Table.Td>
                    <Table.Td ta="right">
                      <b>{fmt.format(mealsOf(s.municipalityId)?.meals ?? 0)}</b> pasti
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Annulla
              </Button>
              <Button loading={busy} onClick={() => void close(confirm)}>
                Chiudi giornata
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}

/** Days closed automatically at the next start, closes that failed, requests that arrived after the close. */
function Notices({ onChanged }: { onChanged(): void }) {
  const notices = useQuery('attendance.notices', { unreadOnly: true });
  const rows = notices.data ?? [];
  async function mark(ids: number[]) {
    try {
      await call('attendance.markNoticesRead', { ids });
      void notices.reload();
      onChanged();
    } catch (err) {
      notifyError(err);
    }
  }
  if (!rows.length) return null;
  return (
    <Card withBorder padding="sm" radius="sm" data-testid="notices">
      <Group justify="space-between" mb={6}>
        <Group gap={6}>
          <IconBell size={18} color="var(--mantine-color-orange-7)" />
          <Text fw={600}>Avvisi ({rows.length})</Text>
        </Group>
        <Button size="compact-sm" variant="default" onClick={() => void mark(rows.map((n) => n.id))}>
          Segna tutti come letti
        </Button>
      </Group>
      <Stack gap={4}>
        {rows.map((n) => (
          <Alert key={n.id} color={n.kind === 'chiusura_non_riuscita' ? 'red' : 'orange'} py={6} withCloseButton closeButtonLabel="Segna come letto" onClose={() => void mark([n.id])}>
            <Text size="sm">{n.message}</Text>
            <Text size="xs" c="dimmed">
              {formatMoment(n.createdAt)}
            </Text>
          </Alert>
        ))}
      </Stack>
    </Card>
  );
}

/** After the close, a pupil's presence of that day is corrected with a reason (audited; the original stays). */
function Corrections({ date, onChanged }: { date: string; onChanged(): void }) {
  const list = useQuery('attendance.corrections', { from: date, to: date });
  const [pupil, setPupil] = useState<RemoteOption | null>(null);
  const [present, setPresent] = useState<'si' | 'no'>('no');
  const [plain, setPlain] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const rows = list.data ?? [];

  async function save() {
    if (!pupil) {
      setErrors({ pupilId: "Scegliere l'alunno" });
      return;
    }
    setBusy(true);
    try {
      const out = await call('attendance.correctMeal', { pupilId: Number(pupil.value), date, present: present === 'si', plain: present === 'si' && plain, reason: reason.trim() });
      notifySuccess(
        `Presenza del ${formatDate(date)} rettificata: ${out.before.present ? 'presente' : 'assente'} → ${out.correction.present ? (out.correction.plain ? 'presente (in bianco)' : 'presente') : 'assente'}`,
        'Rettifica registrata',
      );
      setReason('');
      setErrors({});
      void list.reload();
      onChanged();
    } catch (err) {
      setErrors(issuesOf(err));
      notifyError(err, 'Rettifica non registrata');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card withBorder padding="sm" radius="sm" data-testid="corrections">
      <Text fw={600}>Rettifica di una presenza del {formatDate(date)}</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Solo per una giornata già chiusa: la rettifica si aggiunge al pasto registrato (che resta) e finisce nel registro delle modifiche.
      </Text>
      <Group align="flex-end" gap="sm">
        <RemoteSelect label="Alunno" placeholder="Cercare l'alunno" value={pupil} onChange={setPupil} search={searchPupils} error={errors.pupilId} w={380} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Quel giorno l'alunno era
          </Text>
          <SegmentedControl
            aria-label="Presenza"
            value={present}
            onChange={(v) => setPresent(v as 'si' | 'no')}
            data={[
              { value: 'si', label: 'Presente' },
              { value: 'no', label: 'Assente' },
            ]}
          />
        </Stack>
        <Checkbox label="In bianco" checked={plain} disabled={present !== 'si'} onChange={(e) => setPlain(e.currentTarget.checked)} mb={8} />
        <TextInput label="Motivo della rettifica" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} style={{ flex: 1 }} miw={220} />
        <Button loading={busy} onClick={() => void save()}>
          Rettifica
        </Button>
      </Group>
      {errors.date && (
        <Text c="red" size="sm" mt={4}>
          {errors.date}
        </Text>
      )}
      {rows.length > 0 && (
        <Table fz="xs" mt="sm" verticalSpacing={4} data-testid="corrections-table">
          <TableHead cells={['Alunno', 'Ora', 'Presenza', 'Motivo']} />
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {r.pupilName} ({r.userCode})
                </Table.Td>
                <Table.Td>{formatMoment(r.createdAt)}</Table.Td>
                <Table.Td>{r.present ? (r.plain ? 'Presente (in bianco)' : 'Presente') : 'Assente'}</Table.Td>
                <Table.Td>
                  {r.reason}
                  {r.origin === 'disdetta_in_tempo' ? ' (automatica)' : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
