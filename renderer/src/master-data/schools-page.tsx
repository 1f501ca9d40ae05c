import { useState } from 'react';
import { Badge, Button, Checkbox, Grid, Group, Input, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { EmptyState } from '../components/empty-state';
import { DataTable } from '../components/data-table';
import { errorFor, givenId, useForm } from '../components/form';
import { AddButton } from '../components/add-button';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { PageHeader } from '../components/page';
import { formatWeekdays, WEEKDAYS } from '../format/dates';
import { currentYear, MunicipalityFilter, municipalityOptions, romeToday, useLookups, yearOptions, type School } from './lookups';
import { conflictOf, FormModal } from '../components/form-dialog';
import { useReloadable } from '../components/use-reload';

const KIND_LABEL = { infanzia: "Scuola dell'infanzia", primaria: 'Scuola primaria', secondaria: 'Secondaria di primo grado' } as const;
type Kind = keyof typeof KIND_LABEL;

function SchoolForm({ school, onClose }: { school: School | null; onClose: () => void }) {
  const lookups = useLookups();
  const valuesOf = (school: School | null) => ({
    municipalityId: school ? String(school.municipalityId) : ((lookups.municipalities[0]?.id.toString() ?? null) as string | null),
    name: school?.name ?? '',
    kind: (school?.kind ?? 'primaria'),
    address: school?.address ?? '',
    serviceWeekdays: (school?.serviceWeekdays ?? [1, 2, 3, 4, 5]).map(String),
    active: school?.active ?? true,
  });
  const form = useForm(valuesOf(school));
  // issue 14: the version loaded goes back with the save; «Ricarica» reads the school as saved now
  const loaded = useReloadable(school, async (id) => (await call('schools.list', {})).find((s) => s.id === id), (s) => form.reset(valuesOf(s)));
  const { busy, run } = useBusyAction(form.showError);
  const v = form.values;

  async function save() {
    await run(async () => {
      const input = { ...v, municipalityId: givenId(v.municipalityId), serviceWeekdays: v.serviceWeekdays.map(Number).sort() };
      const s = school ? await call('schools.update', { id: school.id, version: loaded.version, ...input }) : await call('schools.create', input);
      notifySuccess(`${s.name} salvata`);
      await lookups.reload();
      onClose();
    });
  }

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={school ? school.name : 'Nuova scuola'} size="lg" conflict={conflictOf(form.conflict, loaded.reload)}>
      <ModalForm onSubmit={save} gap="sm">
        <Grid gutter="sm">
          <Grid.Col span={5}>
            <Select label="Comune" withAsterisk data={municipalityOptions(lookups.municipalities)} value={v.municipalityId} onChange={(x) => form.set('municipalityId', x)} error={form.errors.municipalityId} />
          </Grid.Col>
          <Grid.Col span={7}>
            <Select
              label="Tipo"
              withAsterisk
              allowDeselect={false}
              data={Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }))}
              value={v.kind}
              onChange={(x) => x && form.set('kind', x as Kind)}
              error={form.errors.kind}
            />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="Nome della scuola (plesso)" withAsterisk value={v.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.errors.name} data-autofocus />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="Indirizzo" value={v.address} onChange={(e) => form.set('address', e.currentTarget.value)} error={form.errors.address} />
          </Grid.Col>
        </Grid>
        <Input.Wrapper label="Giorni di servizio mensa" withAsterisk error={errorFor(form.errors, 'serviceWeekdays')}>
          <Checkbox.Group value={v.serviceWeekdays} onChange={(x) => form.set('serviceWeekdays', x)}>
            <Group mt={6}>
              {WEEKDAYS.map((d) => (
                <Checkbox key={d.value} value={String(d.value)} label={d.label} />
              ))}
            </Group>
          </Checkbox.Group>
        </Input.Wrapper>
        <Switch label="Scuola attiva" checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
        <FormModalFooter onCancel={onClose} busy={busy} />
      </ModalForm>
    </FormModal>
  );
}

function ClassesPanel({ school }: { school: School }) {
  const lookups = useLookups();
  const [yearId, setYearId] = useState<string | null>(() => currentYear(lookups.schoolYears, romeToday())?.id.toString() ?? null);
  const classes = useQuery('classes.list', yearId ? { schoolId: school.id, schoolYearId: Number(yearId) } : null);
  const form = useForm({ name: '' });
  const { busy, run } = useBusyAction((err) => form.showError(err, { schoolYearId: 'name' }));

  async function add() {
    await run(async () => {
      const c = await call('classes.create', { schoolId: school.id, schoolYearId: givenId(yearId), name: form.values.name });
      notifySuccess(`Classe ${c.name} aggiunta a ${school.name}`);
      form.reset({ name: '' });
      await classes.reload();
    });
  }

  return (
    <Paper withBorder p="md" radius="sm">
      <Stack gap="sm">
        <div>
          <Title order={4}>Classi</Title>
          <Text size="sm" c="dimmed">
            {school.name} · {school.municipalityName}
          </Text>
        </div>
        <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={yearId} onChange={setYearId} placeholder={lookups.schoolYears.length ? 'Scegliere' : 'Aggiungere prima un anno scolastico'} />
        <DataTable
          testId="classes-table"
          empty={yearId ? 'Nessuna classe in questo anno' : 'Scegliere l\'anno scolastico'}
          rows={classes.data ?? []}
          rowKey={(c) => c.id}
          columns={[
            { header: 'Classe', render: (c) => <Text size="sm" fw={500}>{c.name}</Text> },
            { header: 'Iscritti', align: 'right', render: (c) => c.pupils },
          ]}
        />
        <form noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <Group align="flex-start" gap="xs">
            <TextInput placeholder="es. 3A" aria-label="Nome della nuova classe" maxLength={20} value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value.toUpperCase())} error={form.errors.name} style={{ flex: 1 }} />
            <Button type="submit" variant="light" leftSection={<IconPlus size={16} />} loading={busy} disabled={!yearId}>
              Aggiungi classe
            </Button>
          </Group>
        </form>
      </Stack>
    </Paper>
  );
}

export function SchoolsPage() {
  const lookups = useLookups();
  const session = useSession();
  const admin = session.can('amministratore');
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [editing, setEditing] = useState<School | 'new' | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const shown = lookups.schools.filter((s) => !municipalityId || String(s.municipalityId) === municipalityId);
  const selected = lookups.schools.find((s) => s.id === selectedId) ?? null;

  return (
    <Stack gap="sm">
      <PageHeader
        title="Scuole e classi"
        description="Plessi serviti con i loro giorni di servizio mensa; le classi di ogni anno scolastico"
        actions={
          admin && (
            <AddButton onClick={() => setEditing('new')} disabled={lookups.municipalities.length === 0}>
              Nuova scuola
            </AddButton>
          )
        }
      />
      <MunicipalityFilter placeholder="Tutti i comuni" value={municipalityId} onChange={setMunicipalityId} w={220} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <DataTable
            testId="schools-table"
            empty={
              <EmptyState
                filtered={Boolean(municipalityId)}
                nothing="Nessuna scuola registrata"
                noMatch="Nessuna scuola in questo comune"
                hint={lookups.municipalities.length === 0 ? 'Aggiungere prima un comune.' : admin ? 'Aggiungere la prima scuola servita, con i suoi giorni di mensa.' : "Le scuole le aggiunge l'amministratore."}
                newLabel="Inserisci la prima scuola"
                onNew={admin && lookups.municipalities.length > 0 ? () => setEditing('new') : undefined}
              />
            }
            rows={shown}
            rowKey={(s) => s.id}
            onRowClick={(s) => setSelectedId(s.id)}
            columns={[
              {
                header: 'Scuola',
                render: (s) => (
                  <Text size="sm" fw={s.id === selectedId ? 700 : 500} c={s.id === selectedId ? 'blue.8' : undefined}>
                    {s.name}
                  </Text>
                ),
              },
              { header: 'Comune', render: (s) => s.municipalityName },
              { header: 'Tipo', render: (s) => KIND_LABEL[s.kind] },
              { header: 'Giorni', render: (s) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatWeekdays(s.serviceWeekdays)}</Text> },
              { header: 'Alunni', align: 'right', render: (s) => s.pupils },
              {
                header: '',
                render: (s) => (
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {!s.active && (
                      <Badge size="sm" color="gray" variant="light">
                        Non attiva
                      </Badge>
                    )}
                    {admin && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={(e) => {
                          e.stopPropagation();
                          setEditing(s);
                        }}
                      >
                        Modifica
                      </Button>
                    )}
                  </Group>
                ),
              },
            ]}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          {selected ? (
            <ClassesPanel key={selected.id} school={selected} />
          ) : (
            <Paper withBorder p="md" radius="sm">
              <Text size="sm" c="dimmed">
                Scegliere una scuola nell'elenco per vederne e aggiungerne le classi.
              </Text>
            </Paper>
          )}
        </Grid.Col>
      </Grid>
      {editing !== null && <SchoolForm school={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
