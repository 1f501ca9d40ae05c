import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, NumberInput, PasswordInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconRefresh } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { useSession } from '../auth/session';
import { errorFor, useForm } from '../components/form';
import { TableHead } from '../components/table-parts';
import { formatMoment } from '../format/dates';
import { formatCount, plural } from '../format/words';

type Status = ProcOutput<'portal.sync.status'>;
type Run = NonNullable<Status['lastRun']>;
type Settings = ProcOutput<'portal.settings.get'>;

const OUTCOME: Record<Run['outcome'], { label: string; color: string }> = {
  riuscita: { label: 'Riuscita', color: 'teal' },
  parziale: { label: 'Parziale', color: 'orange' },
  non_riuscita: { label: 'Non riuscita', color: 'red' },
};
const ADAPTER_LABEL: Record<Status['adapter'], string> = { nessuno: 'Spenta', rest: 'API del portale', file: 'Cartella di scambio' };

function Counter({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
    </div>
  );
}

/** The last run with its counts in and out, its errors with «Riprova», the earlier runs, and the settings. */
export function SyncStatusPanel({ onShow, onSynced }: { onShow: (tab: string) => void; onSynced?: () => void }) {
  const session = useSession();
  const status = useQuery('portal.sync.status', { limit: 10 });
  useChangeNotices(['portal'], () => void status.reload());
  const [busy, setBusy] = useState(false);
  const s = status.data;
  const last = s?.lastRun ?? null;

  const syncNow = async () => {
    setBusy(true);
    try {
      const { run } = await call('portal.sync.now', {});
      const text = `${plural(run.inbound.received, 'evento ricevuto', 'eventi ricevuti')}, ${plural(run.outbound.published, 'pubblicato', 'pubblicati')}`;
      if (run.outcome === 'riuscita') notifySuccess(text, 'Sincronizzazione riuscita');
      else notifyError(new Error(`${text}. ${run.errors[0] ?? ''}`), run.outcome === 'parziale' ? 'Sincronizzazione parziale' : 'Sincronizzazione non riuscita');
      void status.reload();
      onSynced?.();
    } catch (err) {
      notifyError(err, 'Sincronizzazione non riuscita');
      onSynced?.();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      <Card withBorder padding="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={4} fz="md">
                Ultima sincronizzazione
              </Title>
              {last && (
                <Badge variant="light" color={OUTCOME[last.outcome].color} data-testid="sync-outcome">
                  {OUTCOME[last.outcome].label}
                </Badge>
              )}
              {s?.running && <Badge variant="light">In corso</Badge>}
            </Group>
            <Text size="sm" c="dimmed">
              {s ? `${ADAPTER_LABEL[s.adapter]}${s.adapter !== 'nessuno' ? ` · ogni ${plural(s.intervalMinutes, 'minuto', 'minuti')}` : ''}` : ''}
              {last ? ` · ${formatMoment(last.finishedAt)} (${last.trigger === 'manuale' ? 'a mano' : 'automatica'})` : ' · mai eseguita'}
              {s?.nextRunAt ? ` · prossima ${formatMoment(s.nextRunAt)}` : ''}
            </Text>
          </Stack>
          <Button leftSection={<IconRefresh size={16} />} loading={busy} disabled={s?.adapter === 'nessuno'} onClick={() => void syncNow()}>
            Sincronizza ora
          </Button>
        </Group>
        {s?.adapter === 'nessuno' && (
          <Alert mt="sm" color="gray" variant="light" title="Sincronizzazione spenta">
            Nessun portale collegato: {session.can('amministratore') ? 'sceglierne il tipo qui sotto.' : "l'amministratore lo sceglie nelle impostazioni qui sotto."} Le richieste delle famiglie non arrivano e ciò che l'ufficio pubblica resta in attesa.
          </Alert>
        )}
        {last && (
          <SimpleGrid cols={{ base: 3, md: 6 }} mt="md" data-testid="sync-counts">
            <Counter label="Ricevuti" value={last.inbound.received} />
            <Counter label="Applicati" value={last.inbound.applied} color="teal.8" />
            <Counter label="In revisione" value={last.inbound.review} color={last.inbound.review ? 'orange.8' : undefined} />
            <Counter label="Duplicati" value={last.inbound.duplicates} />
            <Counter label="Pubblicati" value={last.outbound.published} color="blue.8" />
            <Counter label="Rifiutati dal portale" value={last.outbound.rejected} color={last.outbound.rejected ? 'red.8' : undefined} />
          </SimpleGrid>
        )}
        {last && last.errors.length > 0 && (
          <Alert mt="md" color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Errori dell'ultima sincronizzazione" data-testid="sync-errors">
            <Stack gap={2}>
              {last.errors.map((e, i) => (
                <Text size="sm" key={i}>
                  {e}
                </Text>
              ))}
            </Stack>
            <Group mt="xs" gap="xs">
              <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} loading={busy} onClick={() => void syncNow()}>
                Riprova
              </Button>
              {last.inbound.review > 0 && (
                <Button size="xs" variant="subtle" color="red" onClick={() => onShow('revisione')}>
                  Vedi gli eventi da rivedere
                </Button>
              )}
            </Group>
          </Alert>
        )}
        {last && last.errors.length === 0 && last.inbound.review > 0 && (
          <Group mt="sm" gap="xs">
            <Text size="sm" c="orange.8">
              {plural(last.inbound.review, 'evento è andato', 'eventi sono andati')} in revisione
            </Text>
            <Button size="xs" variant="subtle" onClick={() => onShow('revisione')}>
              Apri la coda di revisione
            </Button>
          </Group>
        )}
      </Card>
      {(s?.runs.length ?? 0) > 1 && (
        <Card withBorder padding="md">
          <Title order={4} fz="md" mb="xs">
            Sincronizzazioni precedenti
          </Title>
          <Table fz="sm" verticalSpacing={4} striped data-testid="sync-runs">
            <TableHead cells={['Quando', 'Esito', { label: 'Ricevuti', right: true }, { label: 'In revisione', right: true }, { label: 'Pubblicati', right: true }, 'Errori']} />
            <Table.Tbody>
              {s!.runs.slice(1).map((r) => (
                <Table.Tr key={r.startedAt}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoment(r.finishedAt)}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={OUTCOME[r.outcome].color}>
                      {OUTCOME[r.outcome].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(r.inbound.received)}</Table.Td>
                  <Table.Td ta="right">{formatCount(r.inbound.review)}</Table.Td>
                  <Table.Td ta="right">{formatCount(r.outbound.published)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" lineClamp={2}>
                      {r.errors.join(' · ')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {session.can('supervisore') && <SettingsCard onSaved={() => void status.reload()} />}
    </Stack>
  );
}

/** The adapter's settings: the supervisor reads them, the administrator changes them (the credential is never shown again). */
function SettingsCard({ onSaved }: { onSaved: () => void }) {
  const session = useSession();
  const admin = session.can('amministratore');
  const settings = useQuery('portal.settings.get', {});
  const form = useForm({ adapter: 'nessuno' as Settings['adapter'], baseUrl: '', folder: '', outboundFormat: 'json' as Settings['outboundFormat'], intervalMinutes: 5, credential: '' });
  const [busy, setBusy] = useState(false);
  const loaded = settings.data;
  const { reset } = form;
  useEffect(() => {
    if (loaded) reset({ adapter: loaded.adapter, baseUrl: loaded.baseUrl, folder: loaded.folder, outboundFormat: loaded.outboundFormat, intervalMinutes: loaded.intervalMinutes, credential: '' });
  }, [loaded, reset]);
  if (!loaded) return null;
  const v = form.values;
  const save = async () => {
    setBusy(true);
    try {
      await call('portal.settings.update', {
        adapter: v.adapter,
        baseUrl: v.baseUrl,
        folder: v.folder,
        outboundFormat: v.outboundFormat,
        intervalMinutes: v.intervalMinutes,
        pageSize: loaded.pageSize,
        timeoutSeconds: loaded.timeoutSeconds,
        version: loaded.version,
        ...(v.credential ? { credential: v.credential } : {}),
      });
      notifySuccess('Le prossime sincronizzazioni useranno il nuovo collegamento', 'Impostazioni salvate');
      await settings.reload();
      onSaved();
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="md">
      <Title order={4} fz="md" mb="xs">
        Collegamento con il portale
      </Title>
      <Stack gap="xs" maw={720}>
        <SegmentedControl
          w={460}
          disabled={!admin}
          value={v.adapter}
          onChange={(a) => form.set('adapter', a as Settings['adapter'])}
          data={[
            { value: 'nessuno', label: 'Spenta' },
            { value: 'rest', label: 'API del portale' },
            { value: 'file', label: 'Cartella di scambio' },
          ]}
        />
        {v.adapter === 'rest' && (
          <>
            <TextInput label="Indirizzo dell'API del portale" placeholder="https://portale.example.it/api" readOnly={!admin} value={v.baseUrl} onChange={(e) => form.set('baseUrl', e.currentTarget.value)} error={errorFor(form.errors, 'baseUrl')} />
            <PasswordInput
              label="Credenziale (token)"
              description={loaded.credential.present ? `Conservata: ${loaded.credential.masked ?? ''} (${loaded.credential.where}). Lasciare vuoto per non cambiarla.` : `Sarà conservata protetta (${loaded.credential.where}), mai nel database.`}
              readOnly={!admin}
              value={v.credential}
              onChange={(e) => form.set('credential', e.currentTarget.value)}
              error={errorFor(form.errors, 'credential')}
            />
          </>
        )}
        {v.adapter === 'file' && (
          <Group grow align="flex-start">
            <TextInput label="Cartella di scambio" placeholder="D:\\Portale\\scambio" readOnly={!admin} value={v.folder} onChange={(e) => form.set('folder', e.currentTarget.value)} error={errorFor(form.errors, 'folder')} />
            <SegmentedControl
              mt={24}
              disabled={!admin}
              value={v.outboundFormat}
              onChange={(f) => form.set('outboundFormat', f as Settings['outboundFormat'])}
              data={[
                { value: 'json', label: 'JSON' },
                { value: 'csv', label: 'CSV' },
              ]}
            />
          </Group>
        )}
        {v.adapter !== 'nessuno' && (
          <NumberInput label="Ogni quanti minuti" w={200} min={1} max={1440} readOnly={!admin} value={v.intervalMinutes} onChange={(n) => form.set('intervalMinutes', typeof n === 'number' ? n : 5)} error={errorFor(form.errors, 'intervalMinutes')} />
        )}
        {admin ? (
          <Group>
            <Button leftSection={<IconCheck size={16} />} loading={busy} disabled={!form.dirty} onClick={() => void save()}>
              Salva il collegamento
            </Button>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            Solo l'amministratore cambia il collegamento.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
