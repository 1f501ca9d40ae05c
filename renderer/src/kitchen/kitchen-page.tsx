import './print.css';
import { useState } from 'react';
import { Badge, Button, Card, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import type { ProcOutput } from '../api/client';
import { useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { ExportButton } from '../components/export-button';
import { DateField } from '../components/fields';
import { PageHeader } from '../components/page';
import { formatDate, formatMoment } from '../format/dates';
import { municipalityOptions, romeToday, useLookups } from '../master-data/lookups';
import { countFormat, plural } from '../format/words';

/** The kitchen report changes with presences and day closes, the calendar, enrollments and diets. */
const KITCHEN_AREAS = ['attendance', 'kitchen', 'calendar', 'enrollments', 'diets'];

type Report = ProcOutput<'kitchen.report'>;
type Municipality = Report['municipalities'][number];

const fmt = countFormat;
/** '1 pasto', '2.345 pasti' */
const meals = (n: number) => plural(n, 'pasto', 'pasti');

export function ProvisionalBadge({ provisional, size = 'lg' }: { provisional: boolean; size?: 'sm' | 'md' | 'lg' | 'xl' }) {
  return provisional ? (
    <Badge color="orange" size={size} variant="filled" data-testid="report-state">
      PROVVISORIO
    </Badge>
  ) : (
    <Badge color="green" size={size} variant="filled" data-testid="report-state">
      DEFINITIVO
    </Badge>
  );
}

type KitchenClass = Municipality['schools'][number]['classes'][number];

/**
 * The special diets of a class: each pupil who eats that day with an approved, current diet, the
 * diet and its allergens; «NUOVA» for its first service days, «da rinnovare» for last year's diet
 * kept until the renewal deadline. A class without diets shows nothing (not a line on every row).
 */
function diets(c: KitchenClass) {
  if (!c.dietPupils.length) return null;
  return (
    <Stack gap={2}>
      {c.dietPupils.map((p) => (
        <Group key={p.pupilId} gap={6} wrap="wrap" data-testid="kitchen-diet" data-pupil={p.pupilName}>
          <Text span size="sm" fw={600}>
            {p.pupilName}
          </Text>
          <Text span size="sm">
            {p.diets.join(', ')}
            {p.details ? ` (${p.details})` : ''}
          </Text>
          {p.allergens.length > 0 && (
            <Badge color="red" variant="light" size="sm" data-testid="kitchen-diet-allergens">
              allergeni: {p.allergens.join(', ')}
            </Badge>
          )}
          {p.isNew && (
            <Badge color="grape" variant="filled" size="sm" data-testid="kitchen-diet-new">
              NUOVA
            </Badge>
          )}
          {p.renewalPending && (
            <Badge color="yellow" variant="light" size="sm">
              da rinnovare
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  );
}

function municipalityState(m: Municipality): string {
  if (m.closed) return `giornata chiusa il ${formatMoment(m.closedAt)}`;
  if (m.cutoffPassed) return `orario limite (${m.cutoffTime}) superato, giornata non ancora chiusa`;
  return `disdette aperte fino alle ${m.cutoffTime}`;
}

type KitchenSchool = Municipality['schools'][number];

/**
 * One school: its own table, whose head names the day, the municipality and the school. Printed,
 * each school starts on a new page (print.css) and the table head is repeated at the top of every
 * page the school runs onto, so no page is without its school.
 */
function SchoolTable({ r, m, s, withDiets }: { r: Report; m: Municipality; s: KitchenSchool; withDiets: boolean }) {
  const cols = withDiets ? 4 : 3;
  return (
    <Table fz="sm" verticalSpacing={4} withTableBorder withColumnBorders layout="fixed" className="kitchen-school" data-testid="kitchen-school" data-school={s.schoolName}>
      <Table.Thead>
        <Table.Tr className="kitchen-school-head">
          <Table.Th colSpan={cols} bg="gray.1">
            <Group justify="space-between" wrap="nowrap">
              <Text fw={700} size="sm">
                {s.schoolName}
                <Text span fw={400} size="sm" c="dimmed">
                  {' '}
                  · Comune di {m.municipalityName}
                </Text>
              </Text>
              <Text size="xs" fw={600} className="print-only-inline">
                Riepilogo pasti del {formatDate(r.date)}
                {m.provisional ? ' · PROVVISORIO' : ' · definitivo'}
              </Text>
            </Group>
          </Table.Th>
        </Table.Tr>
        <Table.Tr>
          <Table.Th w={withDiets ? '18%' : '50%'}>Classe</Table.Th>
          <Table.Th w={withDiets ? 90 : '25%'} ta="right">
            Pasti
          </Table.Th>
          <Table.Th w={withDiets ? 130 : '25%'} ta="right">
            di cui in bianco
          </Table.Th>
          {withDiets && <Table.Th>Diete speciali</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {s.classes.map((c) => (
          <Table.Tr key={`${s.schoolId}-${c.classId ?? 'x'}`} data-testid="kitchen-class-row" data-school={s.schoolName} data-class={c.className}>
            <Table.Td>{c.className}</Table.Td>
            <Table.Td ta="right" data-testid="class-meals">
              {fmt.format(c.meals)}
            </Table.Td>
            <Table.Td ta="right" data-testid="class-plain">
              {fmt.format(c.plain)}
            </Table.Td>
            {withDiets && <Table.Td>{diets(c)}</Table.Td>}
          </Table.Tr>
        ))}
        <Table.Tr bg="gray.0" data-testid="kitchen-school-total" data-school={s.schoolName}>
          <Table.Td>
            <Text size="sm" fw={600}>
              Totale scuola
            </Text>
          </Table.Td>
          <Table.Td ta="right" fw={700}>
            {fmt.format(s.meals)}
          </Table.Td>
          <Table.Td ta="right" fw={600}>
            {fmt.format(s.plain)}
          </Table.Td>
          {withDiets && <Table.Td />}
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** One municipality: its state and total, then one table per school. */
function MunicipalityTable({ r, m, withDiets }: { r: Report; m: Municipality; withDiets: boolean }) {
  return (
    <Stack gap={6} className="kitchen-municipality" data-testid={`kitchen-municipality-${m.municipalityId}`}>
      <Group justify="space-between" align="baseline" className="kitchen-municipality-head">
        <Group gap="xs" align="baseline">
          <Title order={4}>Comune di {m.municipalityName}</Title>
          <Text size="sm" c="dimmed">
            {municipalityState(m)}
          </Text>
        </Group>
        <Group gap="xs">
          {m.provisional && (
            <Badge color="orange" variant="light">
              provvisorio
            </Badge>
          )}
          <Text fw={700}>
            {meals(m.meals)} · {fmt.format(m.plain)} in bianco
          </Text>
        </Group>
      </Group>
      {m.schools.map((s) => (
        <SchoolTable key={s.schoolId} r={r} m={m} s={s} withDiets={withDiets} />
      ))}
      {m.schools.length === 0 && (
        <Text size="sm" c="dimmed">
          Nessun pasto in questo giorno
        </Text>
      )}
    </Stack>
  );
}

/**
 * The kitchen report ("riepilogo pasti") of a day: meals per municipality, school and class, plain
 * meals, special diets; provisional until the day is closed (families may still cancel before
 * the cutoff). Printable (only the report) and exportable to Excel.
 */
export function KitchenPage() {
  const lookups = useLookups();
  const [date, setDate] = useState<string | null>(romeToday());
  const [mId, setMId] = useState<string | null>(null);
  const day = date ?? romeToday();
  const input = { date: day, municipalityId: mId ? Number(mId) : undefined };
  const report = useQuery('kitchen.report', input);
  useChangeNotices(KITCHEN_AREAS, report.reload);
  const r = report.data;

  return (
    <Stack gap="sm">
      <PageHeader
        title="Riepilogo pasti"
        description="Pasti da preparare per comune, scuola e classe, con i pasti in bianco e le diete speciali"
        actions={
          <>
            <Button variant="default" leftSection={<IconPrinter size={16} />} disabled={!r} onClick={() => window.print()}>
              Stampa
            </Button>
            <ExportButton name="kitchen.export" filters={input} />
          </>
        }
      />
      <Group align="flex-end" className="no-print">
        <DateField label="Giorno" value={date} onChange={setDate} clearable={false} w={160} />
        <Select
          label="Comune"
          placeholder="Tutti i comuni"
          clearable
          data={municipalityOptions(lookups.municipalities)}
          value={mId}
          onChange={setMId}
          w={200}
        />
      </Group>
      <Paper withBorder radius="sm" p="md" className="print-area kitchen-report" data-testid="kitchen-report">
        {r && (
          <Stack gap="md">
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={3}>Riepilogo pasti del {formatDate(r.date)}</Title>
                <Text size="xs" c="dimmed">
                  Calcolato il {formatMoment(r.generatedAt)}
                  {r.provisional ? ": fino alla chiusura della giornata i numeri possono ancora cambiare" : ''}
                </Text>
              </div>
              <Group gap="md" align="center">
                <Text fz={26} fw={800} data-testid="report-total">
                  {meals(r.meals)}
                </Text>
                <Text fw={600} data-testid="report-plain">
                  {fmt.format(r.plain)} in bianco
                </Text>
                {r.dietMeals > 0 && (
                  <Text fw={600} data-testid="report-diets">
                    {fmt.format(r.dietMeals)} con dieta speciale
                  </Text>
                )}
                <ProvisionalBadge provisional={r.provisional} />
              </Group>
            </Group>
            {r.dietMeals === 0 && r.meals > 0 && (
              <Text size="sm" c="dimmed" data-testid="report-no-diets">
                Nessuna dieta speciale in questo giorno.
              </Text>
            )}
            {r.municipalities.map((m) => (
              <MunicipalityTable key={m.municipalityId} r={r} m={m} withDiets={r.dietMeals > 0} />
            ))}
            {r.municipalities.length === 0 && (
              <Text c="dimmed" size="sm">
                Nessun comune attivo.
              </Text>
            )}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

/** The dashboard's card: today's meals, per municipality, provisional or final. */
export function KitchenTodayCard({ onOpen }: { onOpen(): void }) {
  const today = romeToday();
  const { data, reload } = useQuery('kitchen.report', { date: today });
  useChangeNotices(KITCHEN_AREAS, reload);
  return (
    <Card withBorder radius="md" padding="md" style={{ cursor: 'pointer' }} onClick={onOpen} data-testid="kitchen-today">
      <Group justify="space-between" align="flex-start" mb={4}>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Pasti di oggi ({formatDate(today)})
          </Text>
          <Text fz={28} fw={700} lh={1.3}>
            {data ? fmt.format(data.meals) : '…'}
            {data && data.plain > 0 && (
              <Text span fz="sm" fw={500} c="dimmed">
                {' '}
                di cui {fmt.format(data.plain)} in bianco
              </Text>
            )}
          </Text>
        </div>
        {data && <ProvisionalBadge provisional={data.provisional} size="md" />}
      </Group>
      {data?.municipalities.map((m) => (
        <Group key={m.municipalityId} justify="space-between" gap="xs">
          <Text size="sm">
            {m.municipalityName}{' '}
            <Text span size="xs" c="dimmed">
              {m.closed ? '· giornata chiusa' : m.cutoffPassed ? `· orario limite (${m.cutoffTime}) superato, giornata da chiudere` : `· disdette fino alle ${m.cutoffTime}`}
            </Text>
          </Text>
          <Text size="sm" fw={600}>
            {fmt.format(m.meals)}
          </Text>
        </Group>
      ))}
    </Card>
  );
}
