import { useState } from 'react';
import { Alert, Button, Grid, Group, Select, Stack, Text, TextInput, Tooltip, Badge } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { EmptyState } from '../components/empty-state';
import { DataTable } from '../components/data-table';
import { DateField, MoneyField } from '../components/fields';
import { given, givenId, useForm, type FieldErrors } from '../components/form';
import { AddButton } from '../components/add-button';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { bpToInput, centsToInput, formatBp, formatCents, parseEuroToCents, parsePercentToBp } from '../format/money';
import { MunicipalityFilter, municipalityOptions, useLookups } from './lookups';
import { conflictOf, FormModal } from '../components/form-dialog';
import { useReloadable } from '../components/use-reload';

type Tariff = ProcOutput<'tariffs.list'>[number];

function TariffForm({ tariff, onClose, onSaved }: { tariff: Tariff | null; onClose: () => void; onSaved: () => void }) {
  const lookups = useLookups();
  const valuesOf = (tariff: Tariff | null) => ({
    municipalityId: tariff ? String(tariff.municipalityId) : ((lookups.municipalities[0]?.id.toString() ?? null) as string | null),
    service: tariff?.service ?? 'mensa',
    description: tariff?.description ?? '',
    validFrom: (tariff?.validFrom ?? null),
    validTo: (tariff?.validTo ?? null),
    gross: centsToInput(tariff?.grossCents),
    net: centsToInput(tariff?.netCents),
    vat: tariff ? bpToInput(tariff.vatRateBp) : '4',
  });
  const form = useForm(valuesOf(tariff));
  // issue 14: the version loaded goes back with the save; «Ricarica» reads the tariff as saved now
  const loaded = useReloadable(tariff, async (id) => (await call('tariffs.list', {})).find((t) => t.id === id), (t) => form.reset(valuesOf(t)));
  const { busy, run } = useBusyAction((err) => form.showError(err, { grossCents: 'gross', netCents: 'net', vatRateBp: 'vat' }));
  const [warning, setWarning] = useState<string | null>(null);
  const v = form.values;

  async function save() {
    const grossCents = parseEuroToCents(v.gross);
    const netCents = parseEuroToCents(v.net);
    const vatRateBp = parsePercentToBp(v.vat);
    const local: FieldErrors = {};
    if (grossCents === null) local.gross = v.gross.trim() ? 'Importo non valido (es. 6,18)' : 'Indicare il prezzo IVA inclusa';
    if (netCents === null) local.net = v.net.trim() ? 'Importo non valido (es. 5,95)' : "Indicare l'imponibile";
    if (vatRateBp === null) local.vat = "Aliquota non valida (es. 4 oppure 4,5)";
    if (Object.keys(local).length) {
      form.setErrors(local);
      return;
    }
    const input = {
      municipalityId: givenId(v.municipalityId),
      service: v.service,
      description: v.description,
      validFrom: given(v.validFrom),
      validTo: v.validTo,
      grossCents: grossCents!,
      netCents: netCents!,
      vatRateBp: vatRateBp!,
    };
    await run(async () => {
      const t = tariff ? await call('tariffs.update', { id: tariff.id, version: loaded.version, ...input }) : await call('tariffs.create', input);
      notifySuccess(`Tariffa ${t.service} di ${t.municipalityName}: ${formatCents(t.grossCents)} a pasto`);
      onSaved();
      if (t.warning) setWarning(t.warning);
      else onClose();
    });
  }

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={tariff ? 'Modifica tariffa' : 'Nuova tariffa'} size="lg" conflict={conflictOf(form.conflict, loaded.reload)}>
      {warning ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle />} title="Tariffa salvata, ma i tre importi non tornano" data-testid="tariff-warning">
            {warning}
          </Alert>
          <Text size="sm" c="dimmed">
            Il prezzo pubblicato resta quello addebitato; verificare imponibile e aliquota con la delibera del comune.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Ho capito</Button>
          </Group>
        </Stack>
      ) : (
        <ModalForm onSubmit={save} gap="sm">
          <Grid gutter="sm">
            <Grid.Col span={6}>
              <Select label="Comune" withAsterisk data={municipalityOptions(lookups.municipalities)} value={v.municipalityId} onChange={(x) => form.set('municipalityId', x)} error={form.errors.municipalityId} />
            </Grid.Col>
            <Grid.Col span={6}>
              <TextInput label="Servizio" placeholder="es. mensa, trasporto" withAsterisk value={v.service} onChange={(e) => form.set('service', e.currentTarget.value)} error={form.errors.service} />
            </Grid.Col>
            <Grid.Col span={12}>
              <TextInput label="Descrizione" placeholder="es. Delibera G.C. n. 45/2026" value={v.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={form.errors.description} />
            </Grid.Col>
            <Grid.Col span={6}>
              <DateField label="Valida dal" withAsterisk value={v.validFrom} onChange={(x) => form.set('validFrom', x)} error={form.errors.validFrom} />
            </Grid.Col>
            <Grid.Col span={6}>
              <DateField label="Valida fino al" placeholder="gg/mm/aaaa · vuoto: senza scadenza" value={v.validTo} onChange={(x) => form.set('validTo', x)} error={form.errors.validTo} />
            </Grid.Col>
            <Grid.Col span={4}>
              <MoneyField label="Prezzo a pasto IVA inclusa" withAsterisk value={v.gross} onChange={(e) => form.set('gross', e.currentTarget.value)} error={form.errors.gross} />
            </Grid.Col>
            <Grid.Col span={4}>
              <MoneyField label="Imponibile" withAsterisk value={v.net} onChange={(e) => form.set('net', e.currentTarget.value)} error={form.errors.net} />
            </Grid.Col>
            <Grid.Col span={4}>
              <TextInput label="Aliquota IVA" withAsterisk inputMode="decimal" rightSection="%" value={v.vat} onChange={(e) => form.set('vat', e.currentTarget.value)} error={form.errors.vat} />
            </Grid.Col>
          </Grid>
          <Text size="xs" c="dimmed">
            I tre importi si registrano come pubblicati (es. Clusone: 5,95 € + IVA 4% = 6,18 €); il programma avvisa se differiscono di un centesimo o più.
          </Text>
          <FormModalFooter onCancel={onClose} busy={busy} />
        </ModalForm>
      )}
    </FormModal>
  );
}

export function TariffsPage() {
  const session = useSession();
  const admin = session.can('amministratore');
  const lookups = useLookups();
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const tariffs = useQuery('tariffs.list', { municipalityId: municipalityId ? Number(municipalityId) : undefined });
  const [editing, setEditing] = useState<Tariff | 'new' | null>(null);

  return (
    <Stack gap="sm">
      <PageHeader
        title="Tariffe"
        description="Prezzo del pasto per comune e servizio, con il periodo di validità"
        actions={
          admin && (
            <AddButton onClick={() => setEditing('new')} disabled={lookups.municipalities.length === 0}>
              Nuova tariffa
            </AddButton>
          )
        }
      />
      <MunicipalityFilter placeholder="Tutti i comuni" value={municipalityId} onChange={setMunicipalityId} w={220} />
      <DataTable
        testId="tariffs-table"
        empty={
          <EmptyState
            filtered={Boolean(municipalityId)}
            nothing="Nessuna tariffa registrata"
            noMatch="Nessuna tariffa per questo comune"
            hint={lookups.municipalities.length === 0 ? 'Aggiungere prima un comune.' : admin ? 'Aggiungere il prezzo del pasto di ogni comune, con la sua validità.' : "Le tariffe le aggiunge l'amministratore."}
            newLabel="Inserisci la prima tariffa"
            onNew={admin && lookups.municipalities.length > 0 ? () => setEditing('new') : undefined}
          />
        }
        rows={tariffs.data ?? []}
        rowKey={(t) => t.id}
        onRowClick={admin ? (t) => setEditing(t) : undefined}
        columns={[
          { header: 'Comune', render: (t) => <Text size="sm" fw={500}>{t.municipalityName}</Text> },
          { header: 'Servizio', render: (t) => t.service },
          { header: 'Descrizione', render: (t) => t.description },
          { header: 'Validità', render: (t) => `dal ${formatDate(t.validFrom)}${t.validTo ? ` al ${formatDate(t.validTo)}` : ''}` },
          { header: 'Prezzo IVA incl.', align: 'right', render: (t) => <Text size="sm" fw={600}>{formatCents(t.grossCents)}</Text> },
          { header: 'Imponibile', align: 'right', render: (t) => formatCents(t.netCents) },
          { header: 'IVA', align: 'right', render: (t) => formatBp(t.vatRateBp) },
          {
            header: '',
            render: (t) =>
              t.warning ? (
                <Tooltip label={t.warning} multiline w={320}>
                  <Badge color="yellow" variant="light" leftSection={<IconAlertTriangle size={12} />}>
                    Importi da verificare
                  </Badge>
                </Tooltip>
              ) : null,
          },
        ]}
      />
      {tariffs.data?.some((t) => t.warning) && (
        <Stack gap={4}>
          {tariffs.data
            .filter((t) => t.warning)
            .map((t) => (
              <Alert key={t.id} color="yellow" variant="light" icon={<IconAlertTriangle />} p="xs">
                <Text size="sm">
                  {t.municipalityName}, {t.service} dal {formatDate(t.validFrom)}: {t.warning}
                </Text>
              </Alert>
            ))}
        </Stack>
      )}
      {editing !== null && <TariffForm tariff={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void tariffs.reload()} />}
    </Stack>
  );
}
