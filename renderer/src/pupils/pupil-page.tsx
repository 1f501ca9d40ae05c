import { useState, type ReactNode } from 'react';
import { Anchor, Badge, Button, Card, Grid, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconCalendarUser, IconEdit, IconFileCertificate, IconWallet } from '@tabler/icons-react';
import dayjs from 'dayjs';
import type { ProcOutput } from '../api/client';
import { useQuery } from '../api/hooks';
import { navigate } from '../app/router';
import { PageHeader } from '../components/page';
import { TableHead } from '../components/table-parts';
import { formatDate, formatWeekdays } from '../format/dates';
import { formatCents } from '../format/money';
import { currentYear, romeToday, useLookups } from '../master-data/lookups';
import { PAYMENT_LABEL, STATUS_COLOR, STATUS_LABEL } from '../enrollments/labels';
import { PresenceActions } from '../attendance/presence-actions';
import { rememberPupil } from '../attendance/selected-pupil';
import { CATEGORY_LABELS, STATUS_COLORS as DIET_STATUS_COLORS, STATUS_LABELS as DIET_STATUS_LABELS } from '../diets/labels';
import { openDebtFamily } from '../debts/labels';
import { PupilForm } from './pupil-form';

type Pupil = ProcOutput<'pupils.get'>;
type Enrollment = Pupil['enrollments'][number];

const fmt = new Intl.NumberFormat('it-IT');

/** A labelled box of the page, with the link to the screen that does more. */
export function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="sm" radius="sm" data-testid={testId}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={600}>{title}</Text>
        {action}
      </Group>
      {children}
    </Card>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children || '—'}</Text>
    </div>
  );
}

export function LinkTo({ path, children, before }: { path: string; children: ReactNode; before?: () => void }) {
  return (
    <Anchor
      href={`#${path}`}
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        before?.();
        navigate(path);
      }}
    >
      {children}
    </Anchor>
  );
}

/** The enrollment that places the pupil today: the current school year's, else the latest. */
function placeEnrollment(p: Pupil, yearId: number | undefined): Enrollment | null {
  return p.enrollments.find((e) => e.schoolYearId === yearId) ?? p.enrollments[p.enrollments.length - 1] ?? null;
}

/**
 * Issue 12: everything about one pupil on one page: who the pupil is and where (school and class
 * from this year's enrollment), the payer and the delegates, the brothers and sisters, the
 * enrollments year by year, this month's presences with the family's requests (cancel a day,
 * phone cancellation, prolonged absence, plain meal), the balance per service, the diets and
 * the family's debt position. Each box links to the screen that does more.
 */
export function PupilPage({ pupilId }: { pupilId: number }) {
  const lookups = useLookups();
  const today = romeToday();
  const year = currentYear(lookups.schoolYears, today);
  const [editing, setEditing] = useState(false);
  const detail = useQuery('pupils.get', { id: pupilId });
  const p = detail.data;
  const place = p ? placeEnrollment(p, year?.id) : null;
  const payer = useQuery('payers.get', place ? { id: place.payerId } : null);
  const monthFrom = dayjs(today).startOf('month').format('YYYY-MM-DD');
  const monthTo = dayjs(today).endOf('month').format('YYYY-MM-DD');
  const history = useQuery('attendance.history', { pupilId, from: monthFrom, to: monthTo });
  const settings = useQuery('attendance.settings', {});
  const balances = useQuery('ledger.balances', { pupilId });
  const diets = useQuery('diets.list', { pupilId });
  const debts = useQuery('debts.family', place ? { payerId: place.payerId, municipalityId: place.municipalityId } : null);

  if (!p) {
    return (
      <Stack gap="sm">
        <PageHeader title="Alunno" description={detail.loading ? 'Caricamento…' : 'Alunno non trovato'} />
      </Stack>
    );
  }
  const name = `${p.lastName} ${p.firstName}`;
  const pick = () => rememberPupil({ value: String(p.id), label: `${name} · ${p.taxCode}` });
  const month = history.data?.months.find((m) => m.month === today.slice(0, 7)) ?? null;
  const currentDiets = (diets.data ?? []).filter((d) => d.status === 'approvata' && d.validTo >= today);
  const pendingDiets = (diets.data ?? []).filter((d) => d.status === 'in_attesa');
  const debtLines = (debts.data?.lines ?? []).filter((l) => l.pupilId === p.id);

  return (
    <Stack gap="sm" data-testid="pupil-page">
      <PageHeader
        title={name}
        description={
          <span data-testid="pupil-place">
            Alunno · {p.schoolName}
            {p.className ? `, classe ${p.className}` : ''} · Comune di {p.municipalityName}
          </span>
        }
        actions={
          <>
            <Button variant="default" leftSection={<IconCalendarUser size={16} />} onClick={() => { pick(); navigate('/presenze'); }}>
              Presenze e disdette
            </Button>
            <Button variant="default" leftSection={<IconWallet size={16} />} onClick={() => { pick(); navigate('/conto-alunno'); }}>
              Conto
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
            <Section title="Alunno" testId="pupil-identity">
              <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="xs">
                <Field label="Codice fiscale">
                  <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{p.taxCode}</span>
                </Field>
                <Field label="Nato il">{formatDate(p.birthDate)}</Field>
                <Field label="Codice utente (badge)">
                  <b data-testid="user-code">{p.userCode}</b>
                </Field>
                <Field label="Codice disdetta telefonica">
                  <b data-testid="phone-code">{p.phoneCode}</b>
                </Field>
              </SimpleGrid>
              {p.notes && (
                <Text size="sm" mt={6} style={{ whiteSpace: 'pre-line' }}>
                  {p.notes}
                </Text>
              )}
            </Section>

            <Section title="Famiglia" testId="pupil-family" action={place && <LinkTo path={`/paganti/${place.payerId}`}>Scheda del pagante</LinkTo>}>
              {payer.data ? (
                <Stack gap={6}>
                  <SimpleGrid cols={{ base: 2, lg: 3 }} spacing="xs">
                    <Field label="Pagante">
                      <LinkTo path={`/paganti/${payer.data.id}`}>
                        {payer.data.lastName} {payer.data.firstName}
                      </LinkTo>
                    </Field>
                    <Field label="Cellulare">{payer.data.mobile}</Field>
                    <Field label="E-mail">{payer.data.email}</Field>
                  </SimpleGrid>
                  {payer.data.delegates.length > 0 && (
                    <Field label="Delegati">{payer.data.delegates.map((d) => `${d.lastName} ${d.firstName} (${d.taxCode})`).join(', ')}</Field>
                  )}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  {place ? 'Caricamento…' : 'Nessuna iscrizione: il pagante si indica iscrivendo l’alunno.'}
                </Text>
              )}
              <Text size="xs" c="dimmed" mt={8}>
                Fratelli e sorelle
              </Text>
              {p.siblings.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nessuno con lo stesso pagante.
                </Text>
              ) : (
                <Stack gap={2} data-testid="pupil-siblings">
                  {p.siblings.map((s) => (
                    <Text key={s.id} size="sm">
                      <LinkTo path={`/alunni/${s.id}`}>
                        {s.lastName} {s.firstName}
                      </LinkTo>{' '}
                      <Text span size="xs" c="dimmed">
                        {s.schoolName}
                        {s.className ? `, ${s.className}` : ''}
                      </Text>
                    </Text>
                  ))}
                </Stack>
              )}
            </Section>

            <Section title="Iscrizioni per anno" testId="pupil-enrollments" action={<LinkTo path="/iscrizioni">Iscrizioni</LinkTo>}>
              {p.enrollments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nessuna iscrizione al servizio mensa.
                </Text>
              ) : (
                <Table fz="sm" verticalSpacing={4}>
                  <TableHead cells={['Anno', 'Scuola e classe', 'Giorni', 'Pagante', { label: 'Stato', w: 96 }]} />
                  <Table.Tbody>
                    {[...p.enrollments].reverse().map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>{e.schoolYearLabel}</Table.Td>
                        <Table.Td>
                          {e.schoolName}
                          {e.className ? `, ${e.className}` : ''}
                        </Table.Td>
                        <Table.Td>{formatWeekdays(e.weekdays.split(',').map(Number))}</Table.Td>
                        <Table.Td>
                          <LinkTo path={`/paganti/${e.payerId}`}>{e.payerName}</LinkTo>
                          <Text size="xs" c="dimmed">
                            {PAYMENT_LABEL[e.paymentMethod as keyof typeof PAYMENT_LABEL] ?? e.paymentMethod}
                          </Text>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          <Badge size="sm" variant="light" color={STATUS_COLOR[e.status as keyof typeof STATUS_COLOR] ?? 'gray'} style={{ overflow: 'visible' }}>
                            {STATUS_LABEL[e.status as keyof typeof STATUS_LABEL] ?? e.status}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>

            <Section
              title={`Presenze di ${dayjs(today).format('MMMM YYYY')}`}
              testId="pupil-month"
              action={
                <Group gap="md">
                  <LinkTo path="/prova-disdette" before={pick}>
                    <IconFileCertificate size={14} /> Prova delle disdette
                  </LinkTo>
                  <LinkTo path="/presenze" before={pick}>
                    Calendario
                  </LinkTo>
                </Group>
              }
            >
              {month ? (
                <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="xs">
                  <Stat label="Giorni di servizio" value={month.serviceDays} />
                  <Stat label="Pasti addebitati" value={month.meals} />
                  <Stat label="di cui in bianco" value={month.plain} />
                  <Stat label="Disdetti" value={month.cancelled} />
                  <Stat label="Disdette tardive" value={month.lateCancelled} />
                  <Stat label="Assenza prolungata" value={month.absent} />
                </SimpleGrid>
              ) : (
                <Text size="sm" c="dimmed">
                  Nessun giorno di servizio nel mese.
                </Text>
              )}
            </Section>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Section title="Richiesta della famiglia" testId="pupil-quick-actions">
              <PresenceActions
                pupilId={p.id}
                date={today}
                plainLimit={settings.data?.plainMealMaxDays ?? null}
                onDone={() => {
                  void history.reload();
                }}
              />
            </Section>

            <Section title="Saldo per servizio" testId="pupil-balances" action={<LinkTo path="/conto-alunno" before={pick}>Conto e pagamenti</LinkTo>}>
              {(balances.data?.services ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nessun movimento.
                </Text>
              ) : (
                <Stack gap={2}>
                  {balances.data!.services.map((s) => (
                    <Group key={s.service} justify="space-between">
                      <Text size="sm">{s.serviceName}</Text>
                      <Text size="sm" fw={600} c={s.balanceCents < 0 ? 'red.7' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {formatCents(s.balanceCents)}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Section>

            <Section title="Diete speciali" testId="pupil-diets" action={<LinkTo path="/diete">Diete</LinkTo>}>
              {currentDiets.length === 0 && pendingDiets.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nessuna dieta in vigore.
                </Text>
              ) : (
                <Stack gap={4}>
                  {[...currentDiets, ...pendingDiets].map((d) => (
                    <Group key={d.id} gap="xs" wrap="nowrap">
                      <Badge size="sm" variant="light" color={DIET_STATUS_COLORS[d.status]}>
                        {DIET_STATUS_LABELS[d.status]}
                      </Badge>
                      <Text size="sm">
                        {CATEGORY_LABELS[d.category]}
                        {d.diets.length > 0 ? `: ${d.diets.join(', ')}` : ''}
                        {d.status === 'approvata' ? ` · fino al ${formatDate(d.validTo)}` : ''}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Section>

            <Section
              title="Morosità"
              testId="pupil-debts"
              action={
                place &&
                payer.data && (
                  <LinkTo path="/morosita/famiglia" before={() => openDebtFamily({ payerId: place.payerId, municipalityId: place.municipalityId, label: `${payer.data!.lastName} ${payer.data!.firstName} · ${payer.data!.taxCode}` })}>
                    Fascicolo della famiglia
                  </LinkTo>
                )
              }
            >
              {!place ? (
                <Text size="sm" c="dimmed">
                  Nessuna iscrizione.
                </Text>
              ) : debts.data ? (
                <Stack gap={4}>
                  <Group justify="space-between">
                    <Text size="sm">Debito della famiglia nel Comune di {debts.data.municipalityName}</Text>
                    <Text size="sm" fw={600} c={debts.data.owedCents > 0 ? 'red.7' : undefined}>
                      {formatCents(debts.data.owedCents)}
                    </Text>
                  </Group>
                  {debtLines.map((l) => (
                    <Text key={`${l.service}-${l.schoolYearId}`} size="xs" c="dimmed">
                      di cui {name}, {l.serviceName} {l.schoolYearLabel}: {formatCents(l.owedCents)} dal {formatDate(l.oldestUnpaidOn)}
                    </Text>
                  ))}
                  {debts.data.history.length > 0 && (
                    <Text size="xs">
                      Passi: {debts.data.history.map((s) => `${s.stepName} (${formatDate(s.reachedOn)})`).join(' → ')}
                    </Text>
                  )}
                  {debts.data.next && (
                    <Text size="xs" c="orange.8">
                      Prossimo passo: {debts.data.next.stepName}
                    </Text>
                  )}
                  {debts.data.exemption && (
                    <Text size="xs" c="teal.8">
                      Esenzione in corso: {debts.data.exemption.reason}
                    </Text>
                  )}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  {debts.loading ? 'Caricamento…' : 'Non disponibile.'}
                </Text>
              )}
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
      {editing && (
        <PupilForm
          pupilId={p.id}
          onClose={() => setEditing(false)}
          onSaved={() => {
            void detail.reload();
          }}
        />
      )}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg">
        {fmt.format(value)}
      </Text>
    </div>
  );
}
