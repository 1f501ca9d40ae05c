import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { EmptyRow, TableHead } from '../components/table-parts';
import { formatDate, formatMoment } from '../format/dates';
import { LIFT_REASON_LABEL, LiftDialog, noticeText, SUSPENSION_STATUS_COLOR, SUSPENSION_STATUS_LABEL, SuspensionDialog, type Suspension } from './suspensions-dialogs';

/** The rows of a suspensions table: pupil, period, state, the notice followed, who decided and lifted. */
export function SuspensionRows({ rows, showFamily, onLift, canLift }: { rows: Suspension[]; showFamily?: boolean; onLift: (s: Suspension[]) => void; canLift: boolean }) {
  const head = [...(showFamily ? ['Famiglia'] : []), 'Alunno', { label: 'Dal', nowrap: true }, 'Pasti di nuovo dal', { label: 'Stato', w: 120 }, 'Diffida seguita', 'Decisione', ''];
  return (
    <Table withTableBorder fz="sm" verticalSpacing={6} data-testid="suspensions-table">
      <TableHead cells={head} />
      <Table.Tbody>
        {rows.length === 0 && <EmptyRow colSpan={head.length}>Nessuna sospensione</EmptyRow>}
        {rows.map((s) => (
          <Table.Tr key={s.id} data-testid="suspension-row" style={s.status === 'revocata' ? { opacity: 0.7 } : undefined}>
            {showFamily && (
              <Table.Td>
                {s.payerName}
                <Text size="xs" c="dimmed">
                  {s.municipalityName}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              {s.pupilName}
              <Text size="xs" c="dimmed">
                {s.schoolName}
                {s.className ? ` · ${s.className}` : ''} · {s.schoolYearLabel}
              </Text>
            </Table.Td>
            <Table.Td>{formatDate(s.startsOn)}</Table.Td>
            <Table.Td>
              {s.liftedOn ? formatDate(s.liftedOn) : '—'}
              {s.liftReason && (
                <Text size="xs" c="dimmed">
                  {LIFT_REASON_LABEL[s.liftReason]}
                  {s.liftNote ? ` · ${s.liftNote}` : ''}
                  {s.liftedBy ? ` · ${s.liftedBy}` : ''}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Badge color={SUSPENSION_STATUS_COLOR[s.status]} variant="light">
                {SUSPENSION_STATUS_LABEL[s.status]}
              </Badge>
            </Table.Td>
            <Table.Td maw={260}>
              <Text size="xs">{s.notice ? noticeText(s.notice) : 'Sospensione registrata prima delle decisioni (nessuna diffida collegata)'}</Text>
            </Table.Td>
            <Table.Td maw={260}>
              <Text size="xs">{s.reason}</Text>
              <Text size="xs" c="dimmed">
                {s.decidedBy ?? ''} {formatMoment(s.decidedAt)}
              </Text>
            </Table.Td>
            <Table.Td>
              {s.liftedOn === null && canLift && (
                <Button size="compact-xs" variant="light" color="green" leftSection={<IconPlayerPlay size={14} />} onClick={() => onLift([s])}>
                  Revoca sospensione
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The suspensions of one family (payer) in one municipality (D2), for the family's debt file:
 * every suspension with its history, "Sospendi il servizio" and "Revoca sospensione" for
 * supervisors. Office only (D3).
 */
export function FamilySuspensionsPanel({ payerId, municipalityId, onChanged }: { payerId: number; municipalityId: number; onChanged?: () => void }) {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const list = useQuery('debts.suspensions.list', { payerId, municipalityId });
  const [dialog, setDialog] = useState<'suspend' | { lift: Suspension[] } | null>(null);
  const rows = list.data ?? [];
  const open = rows.filter((s) => s.liftedOn === null);
  const done = () => {
    setDialog(null);
    void list.reload();
    onChanged?.();
  };
  return (
    <Card withBorder radius="md" data-testid="family-suspensions">
      <Group justify="space-between" mb="xs">
        <Title order={4} fz="md">
          Sospensioni del servizio
        </Title>
        <Group gap="xs">
          {supervisor && open.length > 1 && (
            <Button size="xs" variant="light" color="green" leftSection={<IconPlayerPlay size={14} />} onClick={() => setDialog({ lift: open })}>
              Revoca tutte
            </Button>
          )}
          <Tooltip label="Solo un supervisore decide una sospensione" disabled={supervisor}>
            <Button size="xs" color="orange" leftSection={<IconPlayerPause size={14} />} disabled={!supervisor} onClick={() => setDialog('suspend')}>
              Sospendi il servizio
            </Button>
          </Tooltip>
        </Group>
      </Group>
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          Una sospensione segue una diffida (raccomandata A/R o PEC) consegnata alla famiglia almeno i giorni concessi prima del suo inizio. Cucina e scuola vedono solo che il pasto non c&apos;è.
        </Text>
        <SuspensionRows rows={rows} onLift={(s) => setDialog({ lift: s })} canLift={supervisor} />
      </Stack>
      {dialog === 'suspend' && <SuspensionDialog payerId={payerId} municipalityId={municipalityId} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog && typeof dialog === 'object' && <LiftDialog suspensions={dialog.lift} onClose={() => setDialog(null)} onSaved={done} />}
    </Card>
  );
}
