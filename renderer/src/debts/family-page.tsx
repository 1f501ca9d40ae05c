import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileInvoice, IconFileTypePdf, IconMailForward, IconPlus, IconTruckDelivery, IconUserHeart } from '@tabler/icons-react';
import { call, errorMessage } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { rememberPayer } from '../attendance/selected-pupil';
import { navigate } from '../app/router';
import { PageHeader } from '../components/page';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { EmptyRow, TableHead } from '../components/table-parts';
import { searchPayers } from '../enrollments/enrollment-form';
import { formatDate, formatMoment } from '../format/dates';
import { formatCents } from '../format/money';
import { ConfirmAction } from '../sdd/batch-page';
import { DeliveryDialog, type DeliveryStep } from './delivery-dialog';
import { DocumentViewer, downloadFile, type OpenedFile } from './document-viewer';
import { ExemptionEndDialog, ExemptionGrantDialog, PlanDialog } from './family-dialogs';
import { FamilySuspensionsPanel } from './suspensions-panel';
import { CHANNEL_COLOR, DEBT_CHANNEL_SHORT, DEBT_PLAN_STATUS_LABEL, days, PLAN_STATUS_COLOR, plural, RECEIPT_CHANNELS, rememberDebtFamily, rememberedDebtFamily, SENT_WITH, type FamilyFile, type HistoryStep } from './labels';

/** A titled block of the family's file. */
function Section({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Title order={4} fz="md">
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      {children}
    </Card>
  );
}

/**
 * The debt file of one family (payer) in one municipality (issue 11): what each pupil owes and
 * since when, the steps of the procedure with their letters and delivery evidence, the instalment
 * plans, the social-services exemption. From here the office records the next step, a delivery,
 * a plan; a supervisor grants or ends an exemption. Office only (D3).
 */
export function DebtFamilyPage() {
  const [choice, setChoice] = useState(rememberedDebtFamily);
  // opened again from another list while already on this screen
  useEffect(() => {
    const on = () => setChoice(rememberedDebtFamily());
    window.addEventListener('rette:debt-family', on);
    return () => window.removeEventListener('rette:debt-family', on);
  }, []);
  const payer: RemoteOption | null = choice ? { value: String(choice.payerId), label: choice.label } : null;
  const file = useQuery('debts.family', choice ? { payerId: choice.payerId, municipalityId: choice.municipalityId } : null);
  const pick = (next: typeof choice) => {
    rememberDebtFamily(next);
    setChoice(next);
  };
  const f = file.data && choice && file.data.payer.id === choice.payerId ? file.data : null;

  return (
    <Stack gap="sm">
      <PageHeader
        title="Fascicolo della famiglia"
        description="Di una famiglia (il pagante) in un comune: debito per alunno, passi della procedura con lettere e consegne, piani di rientro, esenzione"
        actions={
          <Button variant="default" onClick={() => navigate('/morosita')}>
            Torna alla lista del mattino
          </Button>
        }
      />
      <Group align="flex-end" gap="sm">
        <RemoteSelect
          label="Pagante"
          placeholder="Cercare il pagante per cognome, nome o codice fiscale"
          value={payer}
          onChange={(o) => pick(o ? { payerId: Number(o.value), label: o.label } : null)}
          search={searchPayers}
          w={460}
        />
        {f && (
          <Select
            label="Comune"
            data={f.municipalities.map((m) => ({ value: String(m.municipalityId), label: `${m.municipalityName}${m.owedCents > 0 ? ` · ${formatCents(m.owedCents)}` : ''}` }))}
            value={String(f.municipalityId)}
            onChange={(v) => v && choice && pick({ ...choice, municipalityId: Number(v) })}
            allowDeselect={false}
            w={260}
            data-testid="family-municipality"
          />
        )}
      </Group>
      {!choice && (
        <Alert color="gray" variant="light" maw={900}>
          Cercare il pagante, oppure aprire una famiglia dalla lista «Morosità» o dalla scheda del pagante.
        </Alert>
      )}
      {choice && !f && file.error !== null && !file.loading && (
        <Alert color="orange" variant="light" maw={900} data-testid="family-error">
          {errorMessage(file.error)}
        </Alert>
      )}
      {f && <FamilyFileView f={f} reload={() => void file.reload()} />}
    </Stack>
  );
}

function FamilyFileView({ f, reload }: { f: FamilyFile; reload: () => void }) {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const [delivery, setDelivery] = useState<DeliveryStep | null>(null);
  const [viewing, setViewing] = useState<{ title: string; load: () => Promise<OpenedFile> } | null>(null);
  const [dialog, setDialog] = useState<'step' | 'plan' | 'grant' | 'end' | { cancelPlan: number } | null>(null);
  const episode = new Set(f.episodeStepIds);
  const openPlan = f.plans.find((p) => p.status !== 'annullato');
  const who = { payerId: f.payer.id, payerName: f.payer.name, municipalityId: f.municipalityId, municipalityName: f.municipalityName, owedCents: f.owedCents };
  const after = () => {
    setDialog(null);
    reload();
  };

  const letter = (s: HistoryStep) => () => call('debts.steps.letters', { stepIds: [s.id] });
  const evidence = (s: HistoryStep) => () => call('debts.deliveries.evidence', { stepId: s.id });

  return (
    <Stack gap="sm" data-testid="debt-family">
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" h="100%">
            <Text fw={700} fz="lg" data-testid="family-name">
              {f.payer.name}
            </Text>
            <Text size="sm" ff="monospace">
              {f.payer.taxCode}
            </Text>
            <Text size="sm" c="dimmed">
              {f.payer.address || 'Indirizzo non indicato'}
            </Text>
            <Text size="sm" c="dimmed">
              {[f.payer.email, f.payer.mobile].filter(Boolean).join(' · ') || 'Nessun recapito'}
            </Text>
            <Group gap="xs" mt="xs">
              {f.exemption && (
                <Badge variant="light" color="violet" leftSection={<IconUserHeart size={12} />}>
                  Seguita dai servizi sociali
                </Badge>
              )}
              {openPlan && (
                <Badge variant="light" color={PLAN_STATUS_COLOR[openPlan.status]}>
                  Piano di rientro: {DEBT_PLAN_STATUS_LABEL[openPlan.status].toLowerCase()}
                </Badge>
              )}
            </Group>
            <Anchor
              size="sm"
              mt="xs"
              display="inline-block"
              onClick={() => {
                rememberPayer({ value: String(f.payer.id), label: `${f.payer.name} · ${f.payer.taxCode}` });
                navigate('/estratto-conto');
              }}
            >
              <Group gap={4}>
                <IconFileInvoice size={14} /> Estratto conto della famiglia
              </Group>
            </Anchor>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" h="100%">
            <Group align="flex-start" gap="xl">
              <div>
                <Text size="xs" c="dimmed">
                  Debito oggi nel Comune di {f.municipalityName}
                </Text>
                <Text fw={700} fz={26} c={f.owedCents > 0 ? 'red.8' : 'teal.8'} data-testid="family-owed">
                  {formatCents(f.owedCents)}
                </Text>
                {f.owedCents > 0 && f.meals > 0 && <Text size="sm">{plural(f.meals, 'pasto', 'pasti')} oltre il credito</Text>}
              </div>
              {f.oldestUnpaidOn && f.ageDays !== null && (
                <div>
                  <Text size="xs" c="dimmed">
                    Importo più vecchio non pagato
                  </Text>
                  <Text fw={600}>{formatDate(f.oldestUnpaidOn)}</Text>
                  <Text size="sm" c={f.ageDays > 90 ? 'red' : 'dimmed'}>
                    da {days(f.ageDays)}
                  </Text>
                </div>
              )}
            </Group>
            <NextStepLine f={f} paused={openPlan?.pausesLadder ?? false} onRecord={() => setDialog('step')} />
          </Card>
        </Grid.Col>
      </Grid>

      <Section title="Debito per alunno" testId="family-lines">
        <Table striped withTableBorder fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          <TableHead cells={['Alunno', 'Codice utente', 'Servizio', 'Anno scolastico', { label: 'Debito', right: true }, { label: 'Pasti oltre il credito', right: true }, 'Non pagato dal']} />
          <Table.Tbody>
            {f.lines.map((l) => (
              <Table.Tr key={`${l.pupilId}/${l.service}/${l.schoolYearId}`}>
                <Table.Td>
                  {l.pupilName}{' '}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {l.pupilTaxCode}
                  </Text>
                </Table.Td>
                <Table.Td>{l.userCode}</Table.Td>
                <Table.Td>{l.serviceName}</Table.Td>
                <Table.Td>{l.schoolYearLabel}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatCents(l.owedCents)}
                </Table.Td>
                <Table.Td ta="right">{l.meals || ''}</Table.Td>
                <Table.Td>{formatDate(l.oldestUnpaidOn)}</Table.Td>
              </Table.Tr>
            ))}
            {f.lines.length === 0 && <EmptyRow colSpan={7}>Nessun debito oggi in questo comune</EmptyRow>}
          </Table.Tbody>
        </Table>
      </Section>

      <Section title="Passi della procedura" testId="family-history">
        <Table withTableBorder fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }} verticalSpacing={6}>
          <TableHead cells={[{ label: 'Data', w: 100 }, 'Passo', 'Mezzo', { label: 'Importo', right: true }, { label: 'Pagare entro', w: 110 }, 'Registrato da', 'Lettera', 'Consegna']} />
          <Table.Tbody>
            {[...f.history].reverse().map((s) => (
              <Table.Tr key={s.id} data-testid="history-row" style={episode.has(s.id) ? undefined : { opacity: 0.6 }}>
                <Table.Td>{formatDate(s.reachedOn)}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {s.stepPosition}. {s.stepName}
                  </Text>
                  {!episode.has(s.id) && (
                    <Text size="xs" c="dimmed">
                      debito precedente, poi pagato
                    </Text>
                  )}
                  {s.note && (
                    <Text size="xs" c="dimmed">
                      {s.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={`${CHANNEL_COLOR[s.channel]}.8`} fw={500} style={{ whiteSpace: 'nowrap' }}>
                    {DEBT_CHANNEL_SHORT[s.channel]}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatCents(s.amountCents)}</Table.Td>
                <Table.Td>{formatDate(s.payBy)}</Table.Td>
                <Table.Td>
                  {s.recordedByName ?? 'sistema'}
                  <Text size="xs" c="dimmed">
                    {formatMoment(s.recordedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" leftSection={<IconFileTypePdf size={12} />} onClick={() => setViewing({ title: `${s.stepName} del ${formatDate(s.reachedOn)}`, load: letter(s) })}>
                      Vedi
                    </Button>
                    <Button size="compact-xs" variant="subtle" onClick={() => void downloadFile(letter(s))}>
                      Scarica
                    </Button>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <DeliveryCell
                    s={s}
                    onRecord={() => setDelivery({ id: s.id, payerName: f.payer.name, stepName: s.stepName, channel: s.channel, reachedOn: s.reachedOn })}
                    onView={() => setViewing({ title: `Prova di consegna · ${s.stepName} del ${formatDate(s.reachedOn)}`, load: evidence(s) })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
            {f.history.length === 0 && <EmptyRow colSpan={8}>Nessun passo registrato per questa famiglia in questo comune</EmptyRow>}
          </Table.Tbody>
        </Table>
      </Section>

      <Section
        title="Piani di rientro"
        testId="family-plans"
        actions={
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            disabled={!!openPlan || f.owedCents <= 0}
            title={openPlan ? 'La famiglia ha già un piano aperto: annullarlo prima' : f.owedCents <= 0 ? 'Nessun debito da rateizzare' : undefined}
            onClick={() => setDialog('plan')}
          >
            Nuovo piano di rientro
          </Button>
        }
      >
        {f.plans.length === 0 && (
          <Text size="sm" c="dimmed">
            Nessun piano di rientro. Con un piano rispettato la procedura si ferma; una rata mancata la fa ripartire.
          </Text>
        )}
        <Stack gap="sm">
          {f.plans.map((p) => (
            <Card key={p.id} withBorder radius="sm" padding="xs" data-testid="plan-card">
              <Group justify="space-between" mb={4}>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    Piano n. {p.id} dal {formatDate(p.startsOn)}: {formatCents(p.paidCents)} pagati su {formatCents(p.totalCents)}
                  </Text>
                  <Badge variant="light" color={PLAN_STATUS_COLOR[p.status]} data-testid="plan-status">
                    {DEBT_PLAN_STATUS_LABEL[p.status]}
                  </Badge>
                  {p.pausesLadder && p.status === 'rispettato' && (
                    <Text size="xs" c="teal.8">
                      la procedura è in pausa
                    </Text>
                  )}
                  {p.status === 'non_rispettato' && (
                    <Text size="xs" c="red.8">
                      rata {p.missedSeq} non pagata in tempo: la procedura riprende
                    </Text>
                  )}
                </Group>
                {p.status !== 'annullato' && (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDialog({ cancelPlan: p.id })}>
                    Annulla il piano
                  </Button>
                )}
              </Group>
              {p.note && (
                <Text size="xs" c="dimmed">
                  {p.note}
                </Text>
              )}
              {p.cancelReason && (
                <Text size="xs" c="dimmed">
                  Annullato il {formatMoment(p.cancelledAt)}: {p.cancelReason}
                </Text>
              )}
              <Group gap="xs" mt={4}>
                {p.instalments.map((i) => (
                  <Badge key={i.seq} variant={i.paid ? 'light' : 'outline'} color={i.paid ? 'teal' : p.missedSeq !== null && i.seq >= p.missedSeq ? 'red' : 'gray'} size="lg" radius="sm" tt="none" fw={500}>
                    {i.seq}. {formatDate(i.dueOn)} · {formatCents(i.amountCents)} {i.paid ? '✓ pagata' : ''}
                  </Badge>
                ))}
              </Group>
            </Card>
          ))}
        </Stack>
      </Section>

      <Section
        title="Esenzione (servizi sociali)"
        testId="family-exemption"
        actions={
          supervisor &&
          (f.exemption ? (
            <Button size="xs" variant="subtle" color="red" onClick={() => setDialog('end')}>
              Chiudi l&apos;esenzione
            </Button>
          ) : (
            <Button size="xs" variant="light" color="violet" leftSection={<IconUserHeart size={14} />} onClick={() => setDialog('grant')}>
              Segna come seguita dai servizi sociali
            </Button>
          ))
        }
      >
        {f.exemption ? (
          <Text size="sm">
            Dal {formatDate(f.exemption.startsOn)}, riferimento <b>{f.exemption.reference}</b>: {f.exemption.reason}. I solleciti continuano, la sospensione del servizio non è possibile.
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Nessuna esenzione.{supervisor ? '' : ' Solo un supervisore può segnare una famiglia come seguita dai servizi sociali.'}
          </Text>
        )}
      </Section>

      {/* ── Sospensioni del servizio (D2): the panel of renderer/src/debts/suspensions-panel.tsx ── */}
      <FamilySuspensionsPanel payerId={f.payer.id} municipalityId={f.municipalityId} onChanged={reload} />

      {delivery && (
        <DeliveryDialog
          step={delivery}
          onClose={() => setDelivery(null)}
          onSaved={() => {
            setDelivery(null);
            reload();
          }}
        />
      )}
      {viewing && <DocumentViewer title={viewing.title} load={viewing.load} onClose={() => setViewing(null)} />}
      {dialog === 'plan' && <PlanDialog who={who} onClose={() => setDialog(null)} onSaved={after} />}
      {dialog === 'grant' && <ExemptionGrantDialog who={who} onClose={() => setDialog(null)} onSaved={after} />}
      {dialog === 'end' && f.exemption && <ExemptionEndDialog exemptionId={f.exemption.id} payerName={f.payer.name} onClose={() => setDialog(null)} onSaved={after} />}
      {dialog !== null && typeof dialog === 'object' && (
        <ConfirmAction
          title={`Annulla il piano di rientro n. ${dialog.cancelPlan}`}
          confirmLabel="Annulla il piano"
          color="red"
          reasonLabel="Motivo dell'annullamento"
          onClose={() => setDialog(null)}
          onConfirm={async (reason) => {
            await call('debts.plans.cancel', { planId: dialog.cancelPlan, reason });
            notifySuccess('Piano di rientro annullato: la procedura riprende dal debito di oggi', 'Piano annullato');
            reload();
          }}
        >
          <Text size="sm">Il piano resta nella storia, annullato. Se la famiglia ha ancora un debito, la procedura riprende.</Text>
        </ConfirmAction>
      )}
      {dialog === 'step' && f.next && (
        <ConfirmAction
          title={`${f.next.stepName} · ${f.payer.name}`}
          confirmLabel="Registra e scarica la lettera"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const [row] = await call('debts.steps.record', { families: [{ payerId: f.payer.id, municipalityId: f.municipalityId, stepPosition: f.next!.stepPosition }] });
            await downloadFile(() => call('debts.steps.letters', { stepIds: [row.id] }));
            notifySuccess(`«${row.stepName}» registrato; la lettera è nel fascicolo`, 'Passo registrato');
            reload();
          }}
        >
          <Text size="sm">
            Si registra oggi il passo «{f.next.stepName}» ({SENT_WITH[f.next.channel]}) per un debito di {formatCents(f.owedCents)} e si produce la lettera.
            {!f.next.daysElapsed && ` Attenzione: dal passo precedente sono passati ${days(f.next.daysSincePrevious)}, la procedura del comune ne chiede ${f.next.minDaysSincePrevious}.`}
          </Text>
        </ConfirmAction>
      )}
    </Stack>
  );
}

/** The next step of the family's procedure, and whether it is due today. */
function NextStepLine({ f, paused, onRecord }: { f: FamilyFile; paused: boolean; onRecord: () => void }) {
  if (f.owedCents <= 0)
    return (
      <Text size="sm" mt="sm" c="teal.8">
        Nessun debito: nessun passo da inviare.
      </Text>
    );
  if (!f.next)
    return (
      <Text size="sm" mt="sm">
        La procedura del comune è arrivata all&apos;ultimo passo.
      </Text>
    );
  const due = f.next.thresholdReached && f.next.daysElapsed && !paused;
  const why = paused
    ? 'in pausa per il piano di rientro rispettato'
    : !f.next.thresholdReached
      ? 'il debito non raggiunge la soglia'
      : !f.next.daysElapsed
        ? `mancano ${days(f.next.minDaysSincePrevious - f.next.daysSincePrevious)} (${f.next.minDaysSincePrevious} dal passo precedente)`
        : '';
  return (
    <Group mt="sm" gap="sm" data-testid="family-next-step">
      <Text size="sm">
        Prossimo passo: <b>{f.next.stepName}</b> {SENT_WITH[f.next.channel]} · {due ? <Text span c="orange.8" fw={600}>da inviare oggi</Text> : why}
      </Text>
      {f.next.thresholdReached && !paused && (
        <Button size="xs" variant={due ? 'filled' : 'default'} leftSection={<IconMailForward size={14} />} onClick={onRecord}>
          Registra il passo e la lettera
        </Button>
      )}
    </Group>
  );
}

/** What the history says of a step's delivery: recorded (date, receipt number, file), awaited, or not needed. */
function DeliveryCell({ s, onRecord, onView }: { s: HistoryStep; onRecord: () => void; onView: () => void }) {
  if (s.deliveredOn)
    return (
      <div data-testid="delivery-recorded">
        <Text size="sm">
          Consegnata il {formatDate(s.deliveredOn)}
          {s.receiptNumber ? ` · n. ${s.receiptNumber}` : ''}
        </Text>
        {s.evidenceFileName && (
          <Anchor size="xs" onClick={onView}>
            {s.evidenceFileName}
          </Anchor>
        )}
        <Text size="xs" c="dimmed">
          registrata da {s.deliveryRecordedByName ?? 'sistema'}
        </Text>
      </div>
    );
  if (!RECEIPT_CHANNELS.includes(s.channel))
    return (
      <Group gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed">
          Ricevuta non necessaria
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={onRecord}>
          Registra
        </Button>
      </Group>
    );
  return (
    <Stack gap={4} align="flex-start">
      <Badge variant="light" color="orange" size="sm" tt="none">
        In attesa della ricevuta di ritorno
      </Badge>
      <Button size="compact-xs" variant="light" leftSection={<IconTruckDelivery size={12} />} onClick={onRecord}>
        Registra consegna
      </Button>
    </Stack>
  );
}
