import '../kitchen/print.css';
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { EmptyRow } from '../components/table-parts';
import { IconPrinter } from '@tabler/icons-react';
import type { ProcInput } from '../api/client';
import { useQuery } from '../api/hooks';
import { routeQuery } from '../app/router';
import { ExportButton } from '../components/export-button';
import { DateField } from '../components/fields';
import { PageHeader } from '../components/page';
import { RemoteSelect } from '../components/remote-select';
import { searchPupils } from '../enrollments/enrollment-form';
import { formatDate, formatMoment } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { OUTCOME_COLOR } from './labels';
import { useSelectedPupil } from './selected-pupil';
import { programNow } from '../app/program-clock';
import { plural } from '../format/words';

/**
 * The proof for a family that disputes a charge ("ho disdetto!"): for a pupil and a day or a
 * period, every request with the moment it was made (Italian time), the channel, the outcome
 * (accepted, late, undone, replaced) and the message given; printable and exportable.
 */
export function EvidencePage() {
  const today = romeToday();
  const [pupil, setPupil] = useSelectedPupil();
  const [mode, setMode] = useState<'giorno' | 'periodo'>(() => (routeQuery('giorno') ? 'giorno' : 'periodo'));
  const [day, setDay] = useState<string | null>(() => routeQuery('giorno') ?? today);
  const [from, setFrom] = useState<string | null>(today.slice(0, 8) + '01');
  const [to, setTo] = useState<string | null>(today);
  const pupilId = pupil ? Number(pupil.value) : undefined;
  const [printedAt, setPrintedAt] = useState<string | null>(null);

  // the backend needs the pupil, the day or the period (at least one)
  const filter: ProcInput<'attendance.attempts'> | null =
    mode === 'giorno'
      ? day || pupilId
        ? { pupilId, date: day ?? undefined }
        : null
      : (from && to) || pupilId
        ? { pupilId, from: from && to ? from : undefined, to: from && to ? to : undefined }
        : null;
  const valid = filter !== null;
  const attempts = useQuery('attendance.attempts', filter);
  const rows = attempts.data ?? [];
  const period = mode === 'giorno' ? (day ? `del ${formatDate(day)}` : '') : from && to ? `dal ${formatDate(from)} al ${formatDate(to)}` : '';

  return (
    <Stack gap="sm">
      <PageHeader
        title="Prova delle disdette"
        description="Ogni richiesta della famiglia con il momento (ora italiana), il canale e l'esito: da stampare o esportare per chi contesta un addebito"
        actions={
          <>
            <Button variant="default" leftSection={<IconPrinter size={16} />} disabled={!rows.length} onClick={() => {
                // the printed sheet says when it was printed
                flushSync(() => setPrintedAt(programNow().toISOString()));
                window.print();
              }}>
              Stampa
            </Button>
            {filter && <ExportButton name="attendance.attemptsExport" filters={filter} />}
          </>
        }
      />
      <Group align="flex-end" gap="sm" className="no-print">
        <RemoteSelect label="Alunno" placeholder="Tutti gli alunni (indicare un giorno o un periodo)" value={pupil} onChange={setPupil} search={searchPupils} w={440} />
        <SegmentedControl
          aria-label="Giorno o periodo"
          value={mode}
          onChange={(v) => setMode(v as 'giorno' | 'periodo')}
          data={[
            { value: 'giorno', label: 'Un giorno' },
            { value: 'periodo', label: 'Un periodo' },
          ]}
        />
        {mode === 'giorno' ? (
          <DateField label="Giorno" value={day} onChange={setDay} w={150} />
        ) : (
          <>
            <DateField label="Dal" value={from} onChange={setFrom} w={150} />
            <DateField label="Al" value={to} onChange={setTo} w={150} />
          </>
        )}
      </Group>
      <Paper withBorder radius="sm" p="sm" className="print-area" data-testid="evidence">
        <div className="print-only">
          <Title order={3}>Prova delle disdette</Title>
          <Text size="sm">
            {pupil ? `Alunno: ${pupil.label.split(' · ').slice(0, 2).join(' · ')}` : 'Tutti gli alunni'} {period}
          </Text>
          <Text size="xs" c="dimmed" mb="sm">
            Momenti in ora italiana. {printedAt ? `Stampato il ${formatMoment(printedAt)}.` : ''}
          </Text>
        </div>
        <Table fz="xs" verticalSpacing={5} striped data-testid="evidence-table">
          <Table.Thead>
            <Table.Tr>
              {!pupilId && <Table.Th>Alunno</Table.Th>}
              <Table.Th>Giorno</Table.Th>
              <Table.Th>Richiesta</Table.Th>
              <Table.Th>Canale</Table.Th>
              <Table.Th>Fatta il (ora italiana)</Table.Th>
              <Table.Th>Esito</Table.Th>
              <Table.Th>Stato attuale</Table.Th>
              <Table.Th>Messaggio</Table.Th>
              <Table.Th>Operatore</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} data-outcome={r.outcome}>
                {!pupilId && (
                  <Table.Td>
                    {r.pupilName} ({r.userCode})
                  </Table.Td>
                )}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.targetDate) || '—'}</Table.Td>
                <Table.Td>{r.actionLabel}</Table.Td>
                <Table.Td>{r.channelLabel}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatMoment(r.actedAt)}
                  {r.recordedAt.slice(0, 16) !== r.actedAt.slice(0, 16) && (
                    <Text size="xs" c="dimmed">
                      registrata {formatMoment(r.recordedAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" fw={700} c={`${OUTCOME_COLOR[r.outcome]}.8`} data-testid="evidence-outcome">
                    {r.outcomeLabel}
                  </Text>
                  {r.overrideReason && (
                    <Text size="xs" c="dimmed">
                      deroga: {r.overrideReason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{r.currentState}</Table.Td>
                <Table.Td style={{ maxWidth: 380 }}>{r.message}</Table.Td>
                <Table.Td>{r.username ?? ''}</Table.Td>
              </Table.Tr>
            ))}
            {rows.length === 0 && <EmptyRow colSpan={9} py="md">{valid ? 'Nessuna richiesta nel periodo' : "Scegliere l'alunno, il giorno o il periodo"}</EmptyRow>}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs" data-testid="evidence-total">
          {plural(rows.length, 'richiesta', 'richieste')}
        </Text>
      </Paper>
    </Stack>
  );
}
