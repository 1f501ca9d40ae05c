import { useState } from 'react';
import { Badge, Button, Card, Group, MultiSelect, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconArchive, IconEdit, IconPlus } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { PageHeader } from '../components/page';
import { DateField } from '../components/fields';
import { errorFor, given, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { FormModal } from '../components/form-dialog';
import { EmptyState } from '../components/empty-state';
import { TableHead } from '../components/table-parts';
import { formatDate, formatMoment } from '../format/dates';
import { municipalityOptions, romeToday, useLookups } from '../master-data/lookups';

export type NewsItem = ProcOutput<'news.list'>['rows'][number];
type NewsState = NewsItem['state'];

export const NEWS_STATE_LABEL: Record<NewsState, string> = { in_corso: 'In corso', programmata: 'Programmata', scaduta: 'Scaduta', ritirata: 'Ritirata' };
const STATE_COLOR: Record<NewsState, string> = { in_corso: 'teal', programmata: 'blue', scaduta: 'gray', ritirata: 'red' };

/** Avvisi e news (F3): what the caterer tells the families through the portal. */
export function NewsPage() {
  const list = useQuery('news.list', {});
  useChangeNotices(['news'], () => void list.reload());
  const [editing, setEditing] = useState<NewsItem | 'new' | null>(null);
  const [withdrawing, setWithdrawing] = useState<NewsItem | null>(null);
  const rows = list.data?.rows ?? [];
  return (
    <Stack gap="sm">
      <PageHeader
        title="Avvisi e news"
        description="Ciò che le famiglie leggono sul portale: per tutti i comuni o per alcuni, dal giorno al giorno. Ogni avviso salvato è pubblicato sul portale alla prossima sincronizzazione."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Nuovo avviso
          </Button>
        }
      />
      {rows.length === 0 && !list.loading ? (
        <Card withBorder padding="xl">
          <EmptyState
            filtered={false}
            nothing="Nessun avviso scritto per le famiglie"
            noMatch=""
            hint="Uno sciopero, un cambio di menù, l'apertura delle iscrizioni: l'avviso arriva sul portale delle famiglie dei comuni scelti."
            newLabel="Scrivi il primo avviso"
            onNew={() => setEditing('new')}
          />
        </Card>
      ) : (
        <Table striped withTableBorder fz="sm" verticalSpacing={6} data-testid="news-table">
          <TableHead cells={['Avviso', 'Comuni', { label: 'Dal', nowrap: true }, { label: 'Al', nowrap: true }, 'Stato', 'Scritto da', '']} />
          <Table.Tbody>
            {rows.map((n) => (
              <Table.Tr key={n.id} data-testid="news-row">
                <Table.Td maw={520}>
                  <Text fw={600} size="sm">
                    {n.title}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {n.body}
                  </Text>
                </Table.Td>
                <Table.Td>{n.municipalityNames.length ? n.municipalityNames.join(', ') : 'Tutti i comuni'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(n.validFrom)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.validTo ? formatDate(n.validTo) : 'fino al ritiro'}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATE_COLOR[n.state]}>
                    {NEWS_STATE_LABEL[n.state]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{n.publishedByName ?? ''}</Text>
                  <Text size="xs" c="dimmed">
                    {formatMoment(n.updatedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {n.state !== 'ritirata' && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} onClick={() => setEditing(n)}>
                        Modifica
                      </Button>
                      <Button size="xs" variant="subtle" color="red" leftSection={<IconArchive size={14} />} onClick={() => setWithdrawing(n)}>
                        Ritira
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <NewsDialog
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void list.reload();
          }}
        />
      )}
      {withdrawing && (
        <WithdrawDialog
          item={withdrawing}
          onClose={() => setWithdrawing(null)}
          onDone={() => {
            setWithdrawing(null);
            void list.reload();
          }}
        />
      )}
    </Stack>
  );
}

function NewsDialog({ item, onClose, onDone }: { item: NewsItem | null; onClose: () => void; onDone: () => void }) {
  const { municipalities } = useLookups();
  const form = useForm({
    title: item?.title ?? '',
    body: item?.body ?? '',
    municipalityIds: (item?.municipalityIds ?? []).map(String),
    validFrom: (item?.validFrom ?? romeToday()) as string | null,
    validTo: item?.validTo ?? (null as string | null),
  });
  const [busy, setBusy] = useState(false);
  const v = form.values;
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={item ? 'Modifica avviso' : 'Nuovo avviso per le famiglie'} size="lg">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            const input = {
              title: v.title,
              body: v.body,
              municipalityIds: v.municipalityIds.map(Number),
              validFrom: given(v.validFrom),
              validTo: v.validTo,
            };
            const saved = item ? await call('news.update', { id: item.id, version: item.version, ...input }) : await call('news.create', input);
            notifySuccess(`«${saved.title}» sarà pubblicato sul portale alla prossima sincronizzazione`, item ? 'Avviso corretto' : 'Avviso salvato');
            onDone();
          } catch (err) {
            form.showError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextInput label="Titolo" data-autofocus value={v.title} onChange={(e) => form.set('title', e.currentTarget.value)} error={errorFor(form.errors, 'title')} />
        <Textarea label="Testo" autosize minRows={4} maxRows={12} value={v.body} onChange={(e) => form.set('body', e.currentTarget.value)} error={errorFor(form.errors, 'body')} />
        <MultiSelect
          label="Comuni"
          description="Nessun comune scelto: l'avviso è per tutti"
          placeholder={v.municipalityIds.length ? undefined : 'Tutti i comuni'}
          data={municipalityOptions(municipalities)}
          value={v.municipalityIds}
          onChange={(ids) => form.set('municipalityIds', ids)}
          searchable
          clearable
          error={errorFor(form.errors, 'municipalityIds')}
        />
        <Group grow>
          <DateField label="Dal giorno" value={v.validFrom} onChange={(d) => form.set('validFrom', d)} error={errorFor(form.errors, 'validFrom')} />
          <DateField label="Al giorno (facoltativo)" clearable value={v.validTo} onChange={(d) => form.set('validTo', d)} error={errorFor(form.errors, 'validTo')} />
        </Group>
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel={item ? 'Salva e pubblica' : 'Pubblica'} />
      </ModalForm>
    </FormModal>
  );
}

function WithdrawDialog({ item, onClose, onDone }: { item: NewsItem; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <FormModal dirty={false} onClose={onClose} title={`Ritirare «${item.title}»?`} size="md">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            await call('news.withdraw', { id: item.id });
            notifySuccess('Il portale non lo mostrerà più alle famiglie', 'Avviso ritirato');
            onDone();
          } catch (err) {
            notifyError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Text size="sm">L'avviso resta nell'elenco dell'ufficio come «Ritirato»; il portale smette di mostrarlo alla prossima sincronizzazione.</Text>
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Ritira l'avviso" />
      </ModalForm>
    </FormModal>
  );
}
