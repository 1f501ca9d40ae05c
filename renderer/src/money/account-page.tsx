import { useState } from 'react';
import { Badge, Button, Card, Group, Menu, Select, Stack, Table, Text } from '@mantine/core';
import { TableHead, EmptyRow } from '../components/table-parts';
import { IconCash, IconChevronDown, IconFileInvoice, IconReceipt } from '@tabler/icons-react';
import { useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { PageHeader } from '../components/page';
import { RemoteSelect } from '../components/remote-select';
import { searchPupils } from '../enrollments/enrollment-form';
import { useSelectedPupil } from '../attendance/selected-pupil';
import { navigate } from '../app/router';
import { formatCents } from '../format/money';
import { formatDate } from '../format/dates';
import { CHANNEL_LABEL, KIND_LABEL, MOVEMENT_AMOUNT_HEADS, MOVEMENT_DATE_HEAD } from './labels';
import { MoneyActionModal, type MoneyAction } from './money-actions';

/** A balance in red when it is a debt (P1), in orange under the reminder threshold. */
export function BalanceText({ cents, thresholdCents, size = 'xl' }: { cents: number; thresholdCents?: number; size?: string }) {
  const color = cents < 0 ? 'red' : thresholdCents !== undefined && cents < thresholdCents ? 'orange' : undefined;
  return (
    <Text fz={size} fw={700} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatCents(cents)}
    </Text>
  );
}

/**
 * Conto dell'alunno: the credit of each service (P7), a debt shown as such (P1), the movements
 * with their running balance, and the office's money actions. A supervisor also sees refund and
 * adjustment (the backend refuses them to an operatore anyway).
 */
export function AccountPage() {
  const [pupil, onPupil] = useSelectedPupil();
  const pupilId = pupil ? Number(pupil.value) : null;
  return (
    <Stack>
      <PageHeader title="Conto dell'alunno" description="Credito per servizio, movimenti, ricariche e pagamenti" />
      <RemoteSelect label="Alunno" placeholder="Cercare per cognome, nome, codice fiscale o codice utente" value={pupil} onChange={onPupil} search={searchPupils} w={520} data-testid="account-pupil" />
      {pupilId !== null && pupil && <PupilAccount key={pupilId} pupilId={pupilId} pupilName={pupil.label.split(' · ')[0]} />}
    </Stack>
  );
}

function PupilAccount({ pupilId, pupilName }: { pupilId: number; pupilName: string }) {
  const session = useSession();
  const [service, setService] = useState<string | null>(null);
  const [action, setAction] = useState<MoneyAction | null>(null);
  const balances = useQuery('ledger.balances', { pupilId });
  const moves = useQuery('ledger.movements', { pupilId, service: service ?? undefined, limit: 200 });
  const supervisor = session.can('supervisore');
  const reload = () => {
    void balances.reload();
    void moves.reload();
  };
  const entries = [...(moves.data?.entries ?? [])].reverse();
  // the service's name as on the cards ("Mensa scolastica"), never its code
  const serviceNames = new Map((balances.data?.services ?? []).map((b) => [b.service, b.serviceName]));

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        {/* cards of a fixed width: at 1366 wide beside the buttons a grid squeezed the service name onto three lines */}
        <Group gap="sm" align="stretch" data-testid="account-balances">
          {(balances.data?.services ?? []).map((s) => (
            <Card key={s.service} withBorder radius="md" padding="sm" w={230} data-testid={`balance-${s.service}`}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                Credito {s.serviceName}
              </Text>
              <BalanceText cents={s.balanceCents} thresholdCents={s.service === 'mensa' ? balances.data?.thresholdCents : undefined} />
              {s.balanceCents < 0 && (
                <Badge color="red" variant="light">
                  Debito
                </Badge>
              )}
            </Card>
          ))}
          {balances.data && balances.data.services.length === 0 && (
            <Text c="dimmed" size="sm">
              Nessun movimento: il conto si apre con la prima ricarica o il primo pasto.
            </Text>
          )}
        </Group>
        <Group gap="xs">
          <Button leftSection={<IconReceipt size={16} />} onClick={() => setAction('pagopa')}>
            Ricarica pagoPA
          </Button>
          <Button variant="default" leftSection={<IconCash size={16} />} onClick={() => setAction('pagamento')}>
            Pagamento
          </Button>
          {supervisor && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" rightSection={<IconChevronDown size={14} />}>
                  Altro
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setAction('rimborso')}>Rimborso del credito</Menu.Item>
                <Menu.Item onClick={() => setAction('rettifica')}>Rettifica del saldo</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
          <Button variant="light" leftSection={<IconFileInvoice size={16} />} onClick={() => navigate('/estratto-conto')}>
            Estratto conto
          </Button>
        </Group>
      </Group>
      <Group justify="space-between">
        <Text fw={600}>Movimenti</Text>
        <Select
          aria-label="Servizio dei movimenti"
          placeholder="Tutti i servizi"
          clearable
          data={(balances.data?.services ?? []).map((s) => ({ value: s.service, label: s.serviceName }))}
          value={service}
          onChange={setService}
          w={200}
        />
      </Group>
      <Table striped withTableBorder highlightOnHover data-testid="account-movements" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <TableHead cells={[MOVEMENT_DATE_HEAD, 'Movimento', { label: 'Servizio', w: 170 }, { label: 'Anno', w: 130 }, ...MOVEMENT_AMOUNT_HEADS]} />
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatDate(e.serviceDate ?? e.bookedOn)}</Table.Td>
              <Table.Td>
                {KIND_LABEL[e.kind]}
                {e.channel && e.kind !== 'ricarica' ? ` · ${CHANNEL_LABEL[e.channel]}` : ''}
                {e.noticeNumber ? ` · avviso ${e.noticeNumber}` : ''}
                {e.reason ? (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    — {e.reason}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{serviceNames.get(e.service) ?? e.service}</Table.Td>
              <Table.Td>{e.schoolYearLabel}</Table.Td>
              <Table.Td ta="right" c={e.amountCents < 0 ? 'red' : 'teal'}>
                {formatCents(e.amountCents)}
              </Table.Td>
              <Table.Td ta="right">{formatCents(e.balanceAfterCents)}</Table.Td>
            </Table.Tr>
          ))}
          {moves.data && entries.length === 0 && <EmptyRow colSpan={6}>Nessun movimento</EmptyRow>}
        </Table.Tbody>
      </Table>
      {moves.data && moves.data.entries.length >= 200 && (
        <Text size="sm" c="dimmed">
          Sono mostrati gli ultimi 200 movimenti: l&apos;estratto conto li riporta tutti per il periodo scelto.
        </Text>
      )}
      {action && <MoneyActionModal action={action} pupil={{ id: pupilId, name: pupilName }} onClose={() => setAction(null)} onDone={reload} />}
    </Stack>
  );
}
