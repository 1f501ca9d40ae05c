import { useMemo, useState } from 'react';
import { Accordion, Badge, Code, Drawer, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { ENTITY_LABEL, OPERATION_LABEL } from '../../../electron/contract/vocabulary/audit';
import { useDebounced, usePagedList, type RowOf } from '../api/hooks';
import { EmptyState } from '../components/empty-state';
import { DateField } from '../components/fields';
import { ExportButton } from '../components/export-button';
import { ListLayout, PageHeader, TotalLine } from '../components/page';
import { VirtualTable, type Column } from '../components/virtual-table';
import { formatMoment } from '../format/dates';

type AuditRow = RowOf<'audit.list'>;
type Change = AuditRow['changes'][number];

const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, 'it');
/** the filters' choices: the same vocabulary the backend reads the log with */
const OPERATIONS = Object.entries(OPERATION_LABEL)
  .map(([value, label]) => ({ value, label }))
  .sort(byLabel);
const ENTITIES = Object.entries(ENTITY_LABEL)
  .map(([value, label]) => ({ value, label }))
  .sort(byLabel);

/** 'Stato: attiva → ritirata · Ritirata il: 20/10/2026' (the first few changes, for the list) */
export function changeSummary(changes: Change[], max = 3): string {
  const one = (c: Change) => (c.before && c.after ? `${c.label}: ${c.before} → ${c.after}` : `${c.label}: ${c.after || c.before}`);
  const shown = changes.slice(0, max).map(one).join(' · ');
  return changes.length > max ? `${shown} · e altri ${changes.length - max}` : shown;
}

const COLUMNS: Column<AuditRow>[] = [
  { key: 'at', header: 'Data e ora', width: 160, render: (r) => formatMoment(r.at) },
  {
    key: 'user',
    header: 'Utente e postazione',
    width: 160,
    render: (r) => (
      <>
        {r.username}
        {r.workstation && (
          <Text size="xs" c="dimmed" data-testid="audit-workstation">
            {r.workstation}
          </Text>
        )}
      </>
    ),
  },
  { key: 'operation', header: 'Operazione', width: 230, render: (r) => r.operation },
  {
    key: 'subject',
    header: 'Riguarda',
    width: 230,
    render: (r) => (
      <>
        <Text span size="xs" c="dimmed">
          {r.entityName}
        </Text>{' '}
        {r.subject ?? (r.entityId ? `n. ${r.entityId}` : '')}
      </>
    ),
  },
  { key: 'changes', header: 'Cosa è cambiato', render: (r) => changeSummary(r.changes) || r.action },
];

/** The changed fields of a record: old value struck through, new value beside it. */
export function AuditChanges({ changes }: { changes: Change[] }) {
  if (!changes.length) return <Text size="sm" c="dimmed">Nessun dato cambiato: l'operazione è registrata senza campi.</Text>;
  const hasBefore = changes.some((c) => c.before !== '');
  const hasAfter = changes.some((c) => c.after !== '');
  return (
    <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={4} data-testid="audit-diff">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="30%">Campo</Table.Th>
          {hasBefore && <Table.Th>Prima</Table.Th>}
          {hasAfter && <Table.Th>Dopo</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field || c.label} data-field={c.field}>
            <Table.Td fw={600}>{c.label}</Table.Td>
            {hasBefore && (
              <Table.Td style={{ wordBreak: 'break-word' }} c={hasAfter ? 'red.8' : undefined} td={hasAfter && c.before ? 'line-through' : undefined}>
                {c.before || '—'}
              </Table.Td>
            )}
            {hasAfter && (
              <Table.Td style={{ wordBreak: 'break-word' }} c={hasBefore ? 'green.9' : undefined}>
                {c.after || '—'}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function RawSnapshots({ row }: { row: AuditRow }) {
  if (row.before === null && row.after === null) return null;
  return (
    <Accordion variant="contained" chevronPosition="left">
      <Accordion.Item value="raw">
        <Accordion.Control>
          <Text size="sm">Dati registrati (per l'assistenza tecnica)</Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" c="dimmed" mb={4}>
            Operazione {row.procedure}, dato {row.entity}
            {row.entityId ? ` n. ${row.entityId}` : ''}
          </Text>
          <SimpleGrid cols={row.before !== null && row.after !== null ? 2 : 1}>
            {row.before !== null && <Code block>{row.before}</Code>}
            {row.after !== null && <Code block>{row.after}</Code>}
          </SimpleGrid>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

export function AuditPage() {
  const [username, setUsername] = useState('');
  const [entity, setEntity] = useState<string | null>(null);
  const [procedure, setProcedure] = useState<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<AuditRow | null>(null);
  // debounced as one string: a new object on every render would never settle
  const textKey = useDebounced(JSON.stringify({ username: username.trim(), search: search.trim() }));
  const filters = useMemo(() => {
    const text = JSON.parse(textKey) as { username: string; search: string };
    return {
      username: text.username || undefined,
      entity: entity ?? undefined,
      procedure: procedure ?? undefined,
      search: text.search || undefined,
      from: from ?? undefined,
      to: to ?? undefined,
    };
  }, [textKey, entity, procedure, from, to]);
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const list = usePagedList('audit.list', filters);

  return (
    <ListLayout>
      <PageHeader
        title="Registro modifiche"
        description="Ogni modifica ai dati: chi, quando (ora di Roma), con quale operazione, su chi, che cosa è cambiato"
        actions={<ExportButton name="audit.export" filters={filters} />}
      />
      <Group gap="xs" align="flex-end">
        <TextInput placeholder="Utente" aria-label="Filtra per utente" value={username} onChange={(e) => setUsername(e.currentTarget.value)} w={130} />
        <Select placeholder="Tipo di dato" aria-label="Filtra per tipo di dato" data={ENTITIES} value={entity} onChange={setEntity} searchable clearable w={180} />
        <Select placeholder="Operazione" aria-label="Filtra per operazione" data={OPERATIONS} value={procedure} onChange={setProcedure} searchable clearable w={250} comboboxProps={{ width: 320 }} />
        <DateField aria-label="Dal" placeholder="Dal gg/mm/aaaa" value={from} onChange={setFrom} w={140} />
        <DateField aria-label="Al" placeholder="Al gg/mm/aaaa" value={to} onChange={setTo} w={140} />
        <TextInput placeholder="Nome o testo…" aria-label="Cerca nel registro" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={180} />
      </Group>
      <VirtualTable
        testId="audit-table"
        columns={COLUMNS}
        source={list.source}
        rowKey={(r) => r.id}
        onRowClick={setOpen}
        empty={<EmptyState filtered={filtered} nothing="Il registro è vuoto" noMatch="Nessuna modifica registrata con questi filtri" hint="Ogni modifica ai dati, ogni accesso e ogni esportazione con dati personali vi compare da sé." />}
      />
      <TotalLine total={list.total} loading={list.loading} noun={['registrazione', 'registrazioni']} />
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="xl" title="Dettaglio della registrazione">
        {open && (
          <Stack gap="sm" data-testid="audit-detail">
            <Group gap="xs">
              <Badge variant="light">{open.entityName}</Badge>
              {open.subject && (
                <Text fw={700} data-testid="audit-subject">
                  {open.subject}
                </Text>
              )}
            </Group>
            <Text size="sm">
              <b>{open.operation}</b> ({open.action}) · {open.username}
              {open.workstation ? ` dalla postazione ${open.workstation}` : ''} · {formatMoment(open.at)}
            </Text>
            <AuditChanges changes={open.changes} />
            <RawSnapshots row={open} />
          </Stack>
        )}
      </Drawer>
    </ListLayout>
  );
}
