import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { PageHeader } from '../components/page';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { searchPayers } from '../components/people-search';
import { EmptyRow, TableHead } from '../components/table-parts';
import { useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { formatMoment } from '../format/dates';
import { formatCents } from '../format/money';
import { municipalityOptions, romeToday, useLookups } from '../master-data/lookups';
import { LiftDialog, type Suspension } from './suspensions-dialogs';
import { FamilySuspensionsPanel, SuspensionRows } from './suspensions-panel';
import { FormModal } from '../components/form-dialog';

type Block = ProcOutput<'debts.enrollmentBlocks.list'>[number];

/**
 * "Sospensioni" (D2): the suspensions of the service in force or planned (or all of them, with
 * their history), a family's suspensions to decide or lift, and the families refused next year's
 * enrollment for debts, with the supervisor's waiver. Office only (D3).
 */
export function SuspensionsPage() {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const { municipalities } = useLookups();
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [scope, setScope] = useState<'current' | 'all'>('current');
  const list = useQuery('debts.suspensions.list', { municipalityId: municipalityId ? Number(municipalityId) : undefined, currentOnly: scope === 'current' });
  const [lift, setLift] = useState<Suspension[] | null>(null);
  const [payer, setPayer] = useState<RemoteOption | null>(null);
  const [familyMunicipality, setFamilyMunicipality] = useState<string | null>(null);
  const familyM = familyMunicipality ?? (municipalities.length === 1 ? String(municipalities[0].id) : null);

  return (
    <Stack gap="sm">
      <PageHeader title="Sospensioni" description="Sospensioni del servizio per morosità, dopo una diffida consegnata: decise e revocate dal supervisore, con la loro storia" />
      <Card withBorder radius="md">
        <Group justify="space-between" mb="xs">
          <Title order={4} fz="md">
            {scope === 'current' ? 'Sospensioni in corso e programmate' : 'Tutte le sospensioni'}
          </Title>
          <Group gap="xs">
            <Select placeholder="Tutti i comuni" aria-label="Comune" data={municipalityOptions(municipalities)} value={municipalityId} onChange={setMunicipalityId} clearable w={200} size="xs" />
            <SegmentedControl
              size="xs"
              value={scope}
              onChange={(v) => setScope(v as 'current' | 'all')}
              data={[
                { value: 'current', label: 'In corso' },
                { value: 'all', label: 'Tutte, con la storia' },
              ]}
            />
          </Group>
        </Group>
        <SuspensionRows rows={list.data ?? []} showFamily onLift={setLift} canLift={supervisor} />
      </Card>
      <Card withBorder radius="md">
        <Title order={4} fz="md" mb="xs">
          Famiglia
        </Title>
        <Group align="flex-end" gap="sm" mb="sm">
          <RemoteSelect label="Pagante" placeholder="Cercare il pagante per cognome, nome o codice fiscale" value={payer} onChange={setPayer} search={searchPayers} w={420} data-testid="suspension-payer" />
          <Select label="Comune" data={municipalityOptions(municipalities)} value={familyM} onChange={setFamilyMunicipality} w={220} allowDeselect={false} data-testid="suspension-municipality" />
        </Group>
        {payer && familyM ? (
          <FamilySuspensionsPanel key={`${payer.value}/${familyM}`} payerId={Number(payer.value)} municipalityId={Number(familyM)} onChanged={() => void list.reload()} />
        ) : (
          <Text size="sm" c="dimmed">
            Scegliere il pagante e il comune per vedere le sue sospensioni, sospendere il servizio o revocarlo.
          </Text>
        )}
      </Card>
      <EnrollmentBlocks supervisor={supervisor} />
      {lift && (
        <LiftDialog
          suspensions={lift}
          onClose={() => setLift(null)}
          onSaved={() => {
            setLift(null);
            void list.reload();
          }}
        />
      )}
    </Stack>
  );
}

/** Families refused next year's enrollment (where the regulation says so), with the waivers granted. */
function EnrollmentBlocks({ supervisor }: { supervisor: boolean }) {
  const { schoolYears } = useLookups();
  const today = romeToday();
  const future = schoolYears.filter((y) => y.startsOn > today);
  const [yearId, setYearId] = useState<string | null>(null);
  const chosen = yearId ?? (future[0] ? String(future[0].id) : null);
  const blocks = useQuery('debts.enrollmentBlocks.list', chosen ? { schoolYearId: Number(chosen) } : null);
  const [waive, setWaive] = useState<Block | null>(null);
  const rows = blocks.data ?? [];
  return (
    <Card withBorder radius="md" data-testid="enrollment-blocks">
      <Group justify="space-between" mb="xs">
        <Title order={4} fz="md">
          Iscrizioni all&apos;anno successivo negate per debiti
        </Title>
        <Select aria-label="Anno scolastico" data={future.map((y) => ({ value: String(y.id), label: y.label }))} value={chosen} onChange={setYearId} w={160} size="xs" allowDeselect={false} />
      </Group>
      {!chosen ? (
        <Alert color="gray" variant="light">
          Nessun anno scolastico futuro: il diniego riguarda solo gli anni non ancora iniziati.
        </Alert>
      ) : (
        <Table withTableBorder fz="sm" verticalSpacing={6}>
          <TableHead cells={['Famiglia', 'Comune', { label: 'Debito', right: true }, 'Stato', '']} />
          <Table.Tbody>
            {rows.length === 0 && <EmptyRow colSpan={5}>Nessuna famiglia: solo i comuni il cui regolamento nega l&apos;iscrizione a chi ha debiti</EmptyRow>}
            {rows.map((b) => (
              <Table.Tr key={`${b.payerId}/${b.municipalityId}`}>
                <Table.Td>
                  {b.payerName}
                  <Text size="xs" c="dimmed">
                    {b.payerTaxCode}
                  </Text>
                </Table.Td>
                <Table.Td>{b.municipalityName}</Table.Td>
                <Table.Td ta="right">{formatCents(b.owedCents)}</Table.Td>
                <Table.Td>
                  {b.waiver ? (
                    <>
                      <Badge color="teal" variant="light">
                        Deroga concessa
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {b.waiver.reason} · {b.waiver.grantedBy ?? ''} {formatMoment(b.waiver.grantedAt)}
                      </Text>
                    </>
                  ) : (
                    <Badge color="red" variant="light">
                      Iscrizione negata
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {!b.waiver && supervisor && (
                    <Button size="compact-xs" variant="light" leftSection={<IconLockOpen size={14} />} onClick={() => setWaive(b)}>
                      Concedi deroga
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {waive && (
        <WaiverDialog
          block={waive}
          onClose={() => setWaive(null)}
          onSaved={() => {
            setWaive(null);
            void blocks.reload();
          }}
        />
      )}
    </Card>
  );
}

function WaiverDialog({ block, onClose, onSaved }: { block: Block; onClose: () => void; onSaved: () => void }) {
  const form = useForm({ reason: '' });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const save = () =>
    run(async () => {
      await call('debts.enrollmentBlocks.waive', { payerId: block.payerId, municipalityId: block.municipalityId, schoolYearId: block.schoolYearId, reason: form.values.reason });
      notifySuccess(`${block.payerName} può iscrivere i figli all'anno ${block.schoolYearLabel}`, 'Deroga concessa');
      onSaved();
    });
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Deroga al diniego dell'iscrizione · ${block.payerName}`} size="md">
      <ModalForm onSubmit={save}>
        <Text size="sm">{block.message}</Text>
        <Textarea label="Motivo della deroga" withAsterisk autosize minRows={2} maxLength={1000} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Concedi la deroga" />
      </ModalForm>
    </FormModal>
  );
}
