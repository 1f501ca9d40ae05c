import '../kitchen/print.css';
import { Fragment, useState } from 'react';
import { Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { schoolOptions, useLookups, yearOptions } from '../master-data/lookups';
import { ExportButton } from '../components/export-button';
import { useYearChoice } from './year-choice';
import { CATEGORY_LABELS } from './labels';

/**
 * The kitchen's list of the year: every approved diet per school and class, with its allergens
 * and how long it holds. Printable (only the list) and exported to Excel.
 */
export function SchoolListPage() {
  const lookups = useLookups();
  const [year, setYear] = useYearChoice();
  const [school, setSchool] = useState<string | null>(null);
  const input = year ? { schoolYearId: Number(year), schoolId: school ? Number(school) : undefined } : null;
  const { data } = useQuery('diets.schoolList', input);
  const rows = data ?? [];
  const bySchool = new Map<string, typeof rows>();
  for (const r of rows) bySchool.set(r.schoolName, [...(bySchool.get(r.schoolName) ?? []), r]);
  const label = lookups.schoolYears.find((y) => String(y.id) === year)?.label ?? '';
  return (
    <Stack gap="sm">
      <PageHeader
        title="Elenco diete per scuola"
        description="Le diete approvate dell'anno scolastico per scuola e classe, da consegnare alla cucina"
        actions={
          <>
            <Button variant="default" leftSection={<IconPrinter size={16} />} disabled={!rows.length} onClick={() => window.print()}>
              Stampa
            </Button>
            {input && <ExportButton name="diets.schoolListExport" filters={input} />}
          </>
        }
      />
      <Group className="no-print">
        <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={year} onChange={setYear} w={170} allowDeselect={false} />
        <Select label="Scuola" placeholder="Tutte le scuole" clearable searchable data={schoolOptions(lookups.schools)} value={school} onChange={setSchool} w={260} />
      </Group>
      <Paper withBorder radius="sm" p="md" className="print-area" data-testid="diet-school-list">
        <Stack gap="md">
          <Title order={3}>Diete speciali {label}</Title>
          {[...bySchool.entries()].map(([name, list]) => (
            <Stack key={name} gap={4}>
              <Title order={4}>{name}</Title>
              <Table fz="sm" verticalSpacing={4} withTableBorder withColumnBorders>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>Classe</Table.Th>
                    <Table.Th>Alunno</Table.Th>
                    <Table.Th w={120}>Tipo</Table.Th>
                    <Table.Th>Dieta</Table.Th>
                    <Table.Th>Allergeni</Table.Th>
                    <Table.Th w={110}>Valida fino al</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((r) => (
                    <Fragment key={r.requestId}>
                      <Table.Tr>
                        <Table.Td>{r.className ?? ''}</Table.Td>
                        <Table.Td>{r.pupilName}</Table.Td>
                        <Table.Td>{CATEGORY_LABELS[r.category]}</Table.Td>
                        <Table.Td>
                          {r.diets}
                          {r.details ? <Text size="xs" c="dimmed">{r.details}</Text> : null}
                        </Table.Td>
                        <Table.Td>{r.allergens ? <Badge color="red" variant="light">{r.allergens}</Badge> : ''}</Table.Td>
                        <Table.Td>{formatDate(r.validTo)}</Table.Td>
                      </Table.Tr>
                    </Fragment>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ))}
          {rows.length === 0 && (
            <Text size="sm" c="dimmed">
              Nessuna dieta approvata.
            </Text>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
