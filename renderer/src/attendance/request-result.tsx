import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { TZDate } from '@date-fns/tz';
import dayjs from 'dayjs';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconInfoCircle } from '@tabler/icons-react';
import { DateField } from '../components/fields';
import { formatDate } from '../format/dates';
import { OUTCOME_LABELS, type RequestResult } from './labels';

/** A date and an hh:mm, Italian local time, as a UTC moment (ISO). */
export function romeMoment(date: string, hhmm: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!d || !t) return null;
  const z = new TZDate(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), 0, 'Europe/Rome');
  return Number.isNaN(z.getTime()) ? null : new Date(z.getTime()).toISOString();
}

export interface SupervisorFields {
  /** the family acted earlier than now (e.g. an e-mail read this morning): the day and hh:mm */
  backdate: boolean;
  actedOn: string | null;
  actedTime: string;
}

export const NO_BACKDATE: SupervisorFields = { backdate: false, actedOn: null, actedTime: '' };

/**
 * Supervisor only: the moment the family made the request when it reached the office later
 * (more than 5 minutes back needs a supervisor, who answers for it). The cutoff (A2) is judged on it.
 */
export function ActedAtFields({ value, onChange, error }: { value: SupervisorFields; onChange(v: SupervisorFields): void; error?: string }) {
  return (
    <Stack gap={4}>
      <Checkbox
        label="La richiesta è arrivata prima di adesso (indicare quando)"
        checked={value.backdate}
        onChange={(e) => onChange({ ...value, backdate: e.currentTarget.checked })}
      />
      {value.backdate && (
        <Group grow align="flex-start">
          <DateField label="Richiesta fatta il" value={value.actedOn} onChange={(v) => onChange({ ...value, actedOn: v })} error={error} clearable={false} />
          <TimeInput label="Alle ore (ora italiana)" value={value.actedTime} onChange={(e) => onChange({ ...value, actedTime: e.currentTarget.value })} />
        </Group>
      )}
    </Stack>
  );
}

/**
 * What the backend answered to a family's request: accepted (green), refused (red, with the
 * Italian reason, e.g. the cutoff passed: the meal stays charged), warnings in yellow. A late
 * request can be accepted by a supervisor with a reason ("deroga", audited).
 */
export function RequestResultView({
  result,
  canOverride,
  onOverride,
  landing = false,
  closedDay = false,
}: {
  result: RequestResult;
  /** a phone request: say on which day it landed (A6) */
  landing?: boolean;
  canOverride: boolean;
  /** the late request's day is already closed: no override, the way out is a correction */
  closedDay?: boolean;
  onOverride?: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const color = result.accepted ? 'green' : result.outcome === 'gia_registrata' ? 'blue' : 'red';
  const icon = result.accepted ? <IconCircleCheck size={18} /> : result.outcome === 'gia_registrata' ? <IconInfoCircle size={18} /> : <IconCircleX size={18} />;
  return (
    <Stack gap="xs" data-testid="request-result">
      <Alert color={color} icon={icon} title={`${OUTCOME_LABELS[result.outcome]}${result.date ? ` · ${formatDate(result.date)}` : ''}`} data-outcome={result.outcome}>
        {landing && result.date && (
          <Text size="sm" fw={600} data-testid="request-landing">
            Giorno della disdetta telefonica: {dayjs(result.date).format('dddd')} {formatDate(result.date)}
          </Text>
        )}
        <Text size="sm" data-testid="request-message">
          {result.message}
        </Text>
      </Alert>
      {result.warnings.map((w) => (
        <Alert key={w} color="yellow" icon={<IconAlertTriangle size={18} />} data-testid="request-warning">
          {w}
        </Alert>
      ))}
      {result.outcome === 'tardiva' && closedDay && (
        <Text size="xs" c="dimmed" data-testid="override-closed">
          La giornata è già chiusa: la deroga non si applica più; la presenza si corregge con una rettifica in «Chiusura giornata».
        </Text>
      )}
      {result.outcome === 'tardiva' && canOverride && onOverride && (
        <Stack gap={6} p="xs" style={{ border: '1px dashed var(--mantine-color-orange-4)', borderRadius: 6 }}>
          <Text size="sm" fw={500}>
            Deroga del supervisore
          </Text>
          <Text size="xs" c="dimmed">
            Accetta comunque la richiesta oltre l'orario limite: la giornata non è ancora chiusa. Il motivo resta nel registro.
          </Text>
          <TextInput label="Motivo della deroga" value={reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder="Es. disdetta inviata per e-mail alle 8:50, letta in ritardo" />
          <Group justify="flex-end">
            <Button
              color="orange"
              size="xs"
              loading={busy}
              onClick={() => void (async () => {
                setBusy(true);
                try {
                  await onOverride(reason.trim());
                } finally {
                  setBusy(false);
                }
              })()}
            >
              Accetta con deroga
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
