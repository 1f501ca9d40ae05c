import { useEffect, useState } from 'react';
import { Badge, Button, Divider, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconCheck, IconEye, IconX } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { DateField } from '../components/fields';
import { formatDate, formatMoment } from '../format/dates';
import { CertificateViewer } from './certificate-viewer';
import { ATTACHMENT_LABELS, CATEGORY_LABELS, formatBytes, SOURCE_LABELS, STATUS_COLORS, STATUS_LABELS, type DietDetail } from './labels';

export function StatusBadge({ status }: { status: DietDetail['status'] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="diet-status">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/**
 * One request: what was asked and by which channel, the attachments (opened in the in-app viewer
 * by those allowed, F5) and the decision: an ethical-religious diet by an operator, a medical one
 * only by a supervisor (DI6), a rejection always with its reason.
 */
export function RequestDetail({
  id,
  onChanged,
  onDirty,
  viewerHeight = 560,
}: {
  id: number;
  onChanged: () => void;
  /** told whether a reason or a validity date is typed and not yet used (the drawer then asks before closing) */
  onDirty?: (dirty: boolean) => void;
  viewerHeight?: number;
}) {
  const session = useSession();
  const { data: r, reload } = useQuery('diets.get', { id });
  const [open, setOpen] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [validUntil, setValidUntil] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setOpen(null);
    setReason('');
  }, [id]);
  useEffect(() => setValidUntil(r?.validUntil ?? null), [r?.validUntil]);
  const dirty = reason.trim() !== '' || validUntil !== (r?.validUntil ?? null);
  useEffect(() => onDirty?.(dirty), [dirty, onDirty]);

  if (!r) return null;
  const medical = r.category === 'medica';
  const mayDecide = r.status === 'in_attesa' && (!medical || session.can('supervisore'));

  const act = async (what: 'approvata' | 'respinta' | 'revoca') => {
    setBusy(true);
    try {
      if (what === 'revoca') await call('diets.revoke', { id, reason });
      else if (medical) await call('diets.decideMedical', { id, decision: what, reason, validUntil });
      else await call('diets.decide', { id, decision: what, reason });
      notifySuccess(what === 'approvata' ? 'Dieta approvata: è nel riepilogo della cucina da oggi' : what === 'respinta' ? 'Richiesta respinta' : 'Dieta revocata', 'Dieta speciale');
      setReason('');
      await reload();
      onChanged();
    } catch (err) {
      notifyError(err, 'Operazione non riuscita');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="diet-detail">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={4}>{r.pupilName}</Title>
          <Text size="sm" c="dimmed">
            {r.taxCode} · {r.schoolName ?? ''} {r.className ?? ''} · anno {r.schoolYearLabel}
          </Text>
        </div>
        <StatusBadge status={r.status} />
      </Group>
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={170}>Tipo</Table.Th>
            <Table.Td>{CATEGORY_LABELS[r.category]}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Diete</Table.Th>
            <Table.Td data-testid="diet-names">{r.diets.join(', ')}</Table.Td>
          </Table.Tr>
          {r.allergens.length > 0 && (
            <Table.Tr>
              <Table.Th>Allergeni</Table.Th>
              <Table.Td>{r.allergens.join(', ')}</Table.Td>
            </Table.Tr>
          )}
          {r.details && (
            <Table.Tr>
              <Table.Th>Dettagli</Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.details}</Table.Td>
            </Table.Tr>
          )}
          <Table.Tr>
            <Table.Th>Provenienza</Table.Th>
            <Table.Td>
              {SOURCE_LABELS[r.source]}, ricevuta il {formatDate(r.receivedOn)}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Gestita da</Table.Th>
            <Table.Td>{r.handledByName ?? '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Validità</Table.Th>
            <Table.Td>fino al {formatDate(r.validTo)}{r.validUntil ? ' (fine del certificato)' : " (fine dell'anno scolastico)"}</Table.Td>
          </Table.Tr>
          {r.decidedAt && (
            <Table.Tr>
              <Table.Th>Decisione</Table.Th>
              <Table.Td>
                {STATUS_LABELS[r.status]} il {formatMoment(r.decidedAt)}
                {r.decidedByName ? ` da ${r.decidedByName}` : ''}
                {r.reason ? ` · ${r.reason}` : ''}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Divider label="Allegati" labelPosition="left" />
      {r.attachments.length === 0 && (
        <Text size="sm" c="dimmed">
          Nessun allegato{medical ? '' : ' (una dieta etico-religiosa non richiede certificato)'}
        </Text>
      )}
      {r.attachments.map((a) => (
        <Paper key={a.id} withBorder p="xs" radius="sm" data-testid="diet-attachment">
          <Group justify="space-between">
            <Text size="sm">
              {ATTACHMENT_LABELS[a.kind]}: {a.fileName} · {formatBytes(a.sizeBytes)}
              {a.purgedAt ? ` · contenuto eliminato il ${formatMoment(a.purgedAt)} (fine conservazione)` : ''}
            </Text>
            {r.mayOpen && !a.purgedAt && (
              <Button size="xs" variant="light" leftSection={<IconEye size={14} />} onClick={() => setOpen(open === a.id ? null : a.id)}>
                {open === a.id ? 'Chiudi' : 'Apri'}
              </Button>
            )}
          </Group>
          {open === a.id && (
            <div style={{ marginTop: 8 }}>
              <CertificateViewer attachmentId={a.id} height={viewerHeight} />
            </div>
          )}
        </Paper>
      ))}
      {!r.mayOpen && r.attachments.length > 0 && (
        <Text size="xs" c="dimmed">
          I certificati sono dati sanitari: li aprono solo i supervisori e l’operatore che gestisce la richiesta.
        </Text>
      )}
      {r.status === 'in_attesa' && !mayDecide && (
        <Text size="sm" c="orange.8" data-testid="diet-waiting-supervisor">
          In attesa dell’approvazione di un supervisore (DI6).
        </Text>
      )}
      {mayDecide && (
        <Stack gap="xs">
          <Divider label="Decisione" labelPosition="left" />
          {medical && <DateField label="Certificato valido fino al (se prima della fine dell'anno)" value={validUntil} onChange={setValidUntil} clearable w={300} />}
          <Textarea label="Motivo (obbligatorio per respingere)" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="diet-reason" />
          <Group>
            <Button color="green" leftSection={<IconCheck size={16} />} loading={busy} onClick={() => void act('approvata')}>
              Approva
            </Button>
            <Button color="red" variant="light" leftSection={<IconX size={16} />} loading={busy} onClick={() => void act('respinta')}>
              Respingi
            </Button>
          </Group>
        </Stack>
      )}
      {r.status === 'approvata' && (
        <Stack gap="xs">
          <Divider label="Revoca su richiesta della famiglia" labelPosition="left" />
          <Group align="flex-end">
            <Textarea label="Motivo" autosize minRows={1} value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} />
            <Button color="gray" variant="light" loading={busy} onClick={() => void act('revoca')}>
              Revoca
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
