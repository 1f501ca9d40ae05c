import { useState } from 'react';
import { Badge, Button, Grid, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconEdit, IconFileInvoice } from '@tabler/icons-react';
import { useQuery } from '../api/hooks';
import { navigate } from '../app/router';
import { PageHeader } from '../components/page';
import { TableHead } from '../components/table-parts';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { rememberPayer } from '../attendance/selected-pupil';
import { Field, LinkTo, Section } from '../pupils/pupil-page';
import { formatIbanText } from './iban';
import { openDebtFamily } from '../debts/labels';
import { PayerForm } from './payer-form';

/**
 * Issue 12: a payer on one page: contacts and address, the delegates, all the children (each a
 * link to the pupil's page) with school, class and balance, the SDD mandate, the balance and
 * the family's debt position in each municipality where a child is enrolled.
 */
export function PayerPage({ payerId }: { payerId: number }) {
  const [editing, setEditing] = useState(false);
  const payer = useQuery('payers.get', { id: payerId });
  const children = useQuery('pupils.list', { payerId, sort: 'birthDate', limit: 100 });
  const mandates = useQuery('sdd.mandates.list', { payerId, limit: 20 });
  const p = payer.data;

  if (!p) {
    return <PageHeader title="Pagante" description={payer.loading ? 'Caricamento…' : 'Pagante non trovato'} />;
  }
  const name = `${p.lastName} ${p.firstName}`;
  const municipalities = [...new Map((children.data?.rows ?? []).map((c) => [c.municipalityId, c.municipalityName])).entries()];
  const address = [`${p.street} ${p.streetNumber}`.trim(), `${p.postcode} ${p.town}${p.province ? ` (${p.province})` : ''}`.trim(), p.country !== 'IT' ? p.country : '']
    .filter(Boolean)
    .join(', ');

  return (
    <Stack gap="sm" data-testid="payer-page">
      <PageHeader
        title={name}
        description={`Pagante · ${p.taxCode}`}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconFileInvoice size={16} />}
              onClick={() => {
                rememberPayer({ value: String(p.id), label: `${name} · ${p.taxCode}` });
                navigate('/estratto-conto');
              }}
            >
              Estratto conto
            </Button>
            <Button leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
              Modifica
            </Button>
          </>
        }
      />
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Section title="Contatti" testId="payer-contacts">
              <SimpleGrid cols={{ base: 2, lg: 3 }} spacing="xs">
                <Field label="Codice fiscale">
                  <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{p.taxCode}</span>
                </Field>
                <Field label="Cellulare">{p.mobile}</Field>
                <Field label="E-mail">{p.email}</Field>
                <Field label="Indirizzo">{address}</Field>
                <Field label="IBAN">{p.iban ? formatIbanText(p.iban) : ''}</Field>
                <Field label="Intestatario del conto">{p.ibanHolder ?? ''}</Field>
              </SimpleGrid>
              {p.delegates.length > 0 && (
                <Stack gap={0} mt={6}>
                  <Text size="xs" c="dimmed">
                    Delegati
                  </Text>
                  <Text size="sm">{p.delegates.map((d) => `${d.lastName} ${d.firstName} (${d.taxCode})`).join(', ')}</Text>
                </Stack>
              )}
            </Section>
            <Section title="Figli" testId="payer-children" action={<LinkTo path="/iscrizioni">Iscrizioni</LinkTo>}>
              {(children.data?.rows ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {children.loading ? 'Caricamento…' : 'Nessun alunno iscritto con questo pagante.'}
                </Text>
              ) : (
                <Table fz="sm" verticalSpacing={4}>
                  <TableHead cells={['Alunno', 'Nato il', 'Codice utente', 'Scuola e classe', { label: 'Saldo mensa', right: true }]} />
                  <Table.Tbody>
                    {children.data!.rows.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <LinkTo path={`/alunni/${c.id}`}>
                            {c.lastName} {c.firstName}
                          </LinkTo>
                        </Table.Td>
                        <Table.Td>{formatDate(c.birthDate)}</Table.Td>
                        <Table.Td>{c.userCode}</Table.Td>
                        <Table.Td>
                          {c.schoolName}
                          {c.className ? `, ${c.className}` : ''}
                        </Table.Td>
                        <Table.Td ta="right" c={c.balanceCents < 0 ? 'red.7' : undefined}>
                          {formatCents(c.balanceCents)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Section title="Saldo" testId="payer-balance" action={<LinkTo path="/credito">Credito e solleciti</LinkTo>}>
              <Group justify="space-between">
                <Text size="sm">Mensa, tutti i figli</Text>
                <Text size="sm" fw={600} c={p.balanceCents < 0 ? 'red.7' : undefined}>
                  {formatCents(p.balanceCents)}
                </Text>
              </Group>
              <Group justify="space-between">
                <Text size="sm">Tutti i servizi</Text>
                <Text size="sm" fw={600} c={p.totalBalanceCents < 0 ? 'red.7' : undefined}>
                  {formatCents(p.totalBalanceCents)}
                </Text>
              </Group>
            </Section>
            <Section title="Mandato SDD" testId="payer-mandate" action={<LinkTo path="/mandati-sdd">Mandati SDD</LinkTo>}>
              {(mandates.data?.rows ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {mandates.loading ? 'Caricamento…' : p.iban ? 'Nessun mandato registrato.' : 'Nessun mandato e nessun IBAN.'}
                </Text>
              ) : (
                <Stack gap={4}>
                  {mandates.data!.rows.map((m) => (
                    <Group key={m.id} gap="xs" wrap="nowrap">
                      <Badge size="sm" variant="light" color={m.status === 'attivo' ? (m.blockedReason ? 'orange' : 'green') : 'gray'}>
                        {m.status === 'attivo' ? (m.blockedReason ? 'Bloccato' : 'Attivo') : 'Revocato'}
                      </Badge>
                      <Text size="sm">
                        {m.umr} · firmato il {formatDate(m.signedOn)}
                        {m.revokedOn ? ` · revocato il ${formatDate(m.revokedOn)}` : ''}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Section>
            {municipalities.map(([municipalityId, municipalityName]) => (
              <DebtBox key={municipalityId} payerId={p.id} municipalityId={municipalityId} municipalityName={municipalityName} label={`${name} · ${p.taxCode}`} />
            ))}
          </Stack>
        </Grid.Col>
      </Grid>
      {editing && <PayerForm payerId={p.id} onClose={() => setEditing(false)} onSaved={() => void payer.reload()} />}
    </Stack>
  );
}

function DebtBox({ payerId, municipalityId, municipalityName, label }: { payerId: number; municipalityId: number; municipalityName: string; label: string }) {
  const debts = useQuery('debts.family', { payerId, municipalityId });
  const d = debts.data;
  return (
    <Section
      title={`Morosità · ${municipalityName}`}
      testId="payer-debts"
      action={
        <LinkTo path="/morosita/famiglia" before={() => openDebtFamily({ payerId, municipalityId, label })}>
          Fascicolo della famiglia
        </LinkTo>
      }
    >
      {d ? (
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm">Debito</Text>
            <Text size="sm" fw={600} c={d.owedCents > 0 ? 'red.7' : undefined}>
              {formatCents(d.owedCents)}
            </Text>
          </Group>
          {d.history.length > 0 && <Text size="xs">Passi: {d.history.map((s) => `${s.stepName} (${formatDate(s.reachedOn)})`).join(' → ')}</Text>}
          {d.next && (
            <Text size="xs" c="orange.8">
              Prossimo passo: {d.next.stepName}
            </Text>
          )}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {debts.loading ? 'Caricamento…' : 'Non disponibile.'}
        </Text>
      )}
    </Section>
  );
}
