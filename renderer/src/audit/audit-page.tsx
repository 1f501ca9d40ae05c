import { useMemo, useState } from 'react';
import { Autocomplete, Badge, Code, Drawer, Group, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDebounced, usePagedList, type RowOf } from '../api/hooks';
import { DateField } from '../components/fields';
import { ExportButton } from '../components/export-button';
import { ListLayout, PageHeader, TotalLine } from '../components/page';
import { VirtualTable, type Column } from '../components/virtual-table';
import { formatMoment } from '../format/dates';

type AuditRow = RowOf<'audit.list'>;

const ENTITIES = ['alunno', 'pagante', 'iscrizione', 'comune', 'scuola', 'classe', 'anno_scolastico', 'tariffa', 'utente', 'importazione'];
const PROCEDURES = [
  'pupils.create',
  'pupils.update',
  'payers.create',
  'payers.update',
  'enrollments.create',
  'enrollments.update',
  'enrollments.activate',
  'enrollments.reactivate',
  'enrollments.suspend',
  'enrollments.withdraw',
  'enrollments.renew',
  'municipalities.create',
  'municipalities.update',
  'schools.create',
  'schools.update',
  'classes.create',
  'schoolYears.create',
  'tariffs.create',
  'tariffs.update',
  'users.create',
  'users.update',
  'users.resetPassword',
  'auth.setup',
  'auth.changePassword',
];

const COLUMNS: Column<AuditRow>[] = [
  { key: 'at', header: 'Data e ora', width: 170, render: (r) => formatMoment(r.at) },
  { key: 'user', header: 'Utente', width: 130, render: (r) => r.username },
  { key: 'procedure', header: 'Procedura', width: 200, render: (r) => <Code fz="xs">{r.procedure}</Code> },
  { key: 'entity', header: 'Entità', width: 150, render: (r) => `${r.entity.replace(/_/g, ' ')}${r.entityId ? ` #${r.entityId}` : ''}` },
  { key: 'action', header: 'Azione', render: (r) => r.action },
];

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Before and after side by side, one line per field, the changed ones highlighted. */
export function AuditDiff({ before, after }: { before: string | null; after: string | null }) {
  const [all, setAll] = useState(false);
  const b = parse(before);
  const a = parse(after);
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (!isObj(b) && !isObj(a)) {
    if (b === undefined && a === undefined) return <Text size="sm" c="dimmed">Nessun dato registrato per questa operazione.</Text>;
    return (
      <SimpleGrid cols={2}>
        <Code block>{show(b)}</Code>
        <Code block>{show(a)}</Code>
      </SimpleGrid>
    );
  }
  const keys = [...new Set([...Object.keys(isObj(b) ? b : {}), ...Object.keys(isObj(a) ? a : {})])];
  const lines = keys.map((k) => {
    const bv = isObj(b) ? b[k] : undefined;
    const av = isObj(a) ? a[k] : undefined;
    return { k, bv, av, changed: JSON.stringify(bv) !== JSON.stringify(av) };
  });
  const onlyOneSide = !isObj(b) || !isObj(a);
  const shown = all || onlyOneSide ? lines : lines.filter((l) => l.changed);
  return (
    <Stack gap="xs">
      {!onlyOneSide && <Switch size="xs" label="Mostra anche i campi non cambiati" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />}
      <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4} data-testid="audit-diff">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="24%">Campo</Table.Th>
            {isObj(b) && <Table.Th>Prima</Table.Th>}
            {isObj(a) && <Table.Th>Dopo</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((l) => (
            <Table.Tr key={l.k} bg={l.changed && !onlyOneSide ? 'yellow.0' : undefined}>
              <Table.Td fw={600}>{l.k}</Table.Td>
              {isObj(b) && (
                <Table.Td style={{ wordBreak: 'break-all' }} c={l.changed && !onlyOneSide ? 'red.8' : undefined} td={l.changed && !onlyOneSide ? 'line-through' : undefined}>
                  {show(l.bv)}
                </Table.Td>
              )}
              {isObj(a) && (
                <Table.Td style={{ wordBreak: 'break-all' }} c={l.changed && !onlyOneSide ? 'green.9' : undefined}>
                  {show(l.av)}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
          {shown.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="xs" c="dimmed">
                  Nessun campo cambiato.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function AuditPage() {
  const [username, setUsername] = useState('');
  const [entity, setEntity] = useState('');
  const [procedure, setProcedure] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<AuditRow | null>(null);
  // debounced as one string: a new object on every render would never settle
  const textKey = useDebounced(JSON.stringify({ username: username.trim(), entity: entity.trim(), procedure: procedure.trim(), search: search.trim() }));
  const filters = useMemo(() => {
    const text = JSON.parse(textKey) as { username: string; entity: string; procedure: string; search: string };
    return {
      username: text.username || undefined,
      entity: text.entity || undefined,
      procedure: text.procedure || undefined,
      search: text.search || undefined,
      from: from ?? undefined,
      to: to ?? undefined,
    };
  }, [textKey, from, to]);
  const list = usePagedList('audit.list', filters);

  return (
    <ListLayout>
      <PageHeader
        title="Registro modifiche"
        description="Ogni modifica ai dati: chi, quando, con quale operazione, com'era prima e com'è dopo"
        actions={<ExportButton name="audit.export" filters={filters} />}
      />
      <Group gap="xs" align="flex-end">
        <TextInput placeholder="Utente" aria-label="Filtra per utente" value={username} onChange={(e) => setUsername(e.currentTarget.value)} w={140} />
        <Autocomplete placeholder="Entità" aria-label="Filtra per entità" data={ENTITIES} value={entity} onChange={setEntity} w={160} />
        <Autocomplete placeholder="Procedura" aria-label="Filtra per procedura" data={PROCEDURES} value={procedure} onChange={setProcedure} w={200} />
        <DateField aria-label="Dal" placeholder="Dal gg/mm/aaaa" value={from} onChange={setFrom} w={150} />
        <DateField aria-label="Al" placeholder="Al gg/mm/aaaa" value={to} onChange={setTo} w={150} />
        <TextInput placeholder="Testo nei dati…" aria-label="Cerca nel registro" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={200} />
      </Group>
      <VirtualTable testId="audit-table" columns={COLUMNS} source={list.source} rowKey={(r) => r.id} onRowClick={setOpen} empty="Nessuna modifica registrata con questi filtri" />
      <TotalLine total={list.total} loading={list.loading} noun={['modifica', 'modifiche']} />
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="xl" title="Dettaglio della modifica">
        {open && (
          <Stack gap="sm">
            <Group gap="xs">
              <Badge variant="light">{open.entity.replace(/_/g, ' ')}</Badge>
              {open.entityId && <Badge variant="outline">#{open.entityId}</Badge>}
              <Code>{open.procedure}</Code>
            </Group>
            <Text size="sm">
              <b>{open.action}</b> · {open.username} · {formatMoment(open.at)}
            </Text>
            <AuditDiff before={open.before} after={open.after} />
          </Stack>
        )}
      </Drawer>
    </ListLayout>
  );
}
