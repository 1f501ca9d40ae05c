import { useState } from 'react';
import { Button, Card, Group, NumberInput, Text } from '@mantine/core';
import { call } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { useSession } from '../auth/session';
import { plural } from '../format/words';
import { isStaleVersion } from '../components/form';
import { ConflictAlert, conflictOf } from '../components/form-dialog';

/**
 * A3: how many consecutive plain-meal days a family may ask without a medical certificate (often
 * 3 to 5); past it the office is warned. Everyone sees it; a supervisor changes it.
 */
export function PlainMealSetting({ value, version, onSaved }: { value: number | null; version: number; onSaved(): void }) {
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<number | string>('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const canEdit = session.can('supervisore');
  // issue 14: a save refused because someone else changed the setting meanwhile, shown here with «Ricarica»
  const [conflict, setConflict] = useState<string | null>(null);

  async function save() {
    setBusy(true);
    try {
      const out = await call('attendance.updateSettings', { plainMealMaxDays: Number(draft), version });
      notifySuccess(`Pasto in bianco senza certificato: al massimo ${plural(out.plainMealMaxDays, 'giorno consecutivo', 'giorni consecutivi')}`, 'Impostazione salvata');
      setEditing(false);
      setError(undefined);
      onSaved();
    } catch (err) {
      if (isStaleVersion(err)) {
        setConflict(err.message);
        return;
      }
      setError(err instanceof Error ? err.message : String(err));
      notifyError(err, 'Impostazione non salvata');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card withBorder padding="sm" radius="sm" data-testid="plain-meal-setting">
      <Text fw={600} mb={4}>
        Impostazioni
      </Text>
      {!editing ? (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">
            Pasto in bianco senza certificato medico: al massimo <b data-testid="plain-meal-limit">{value ?? '…'}</b> giorni consecutivi
          </Text>
          {canEdit && (
            <Button
              size="compact-sm"
              style={{ flexShrink: 0 }}
              variant="default"
              onClick={() => {
                setDraft(value ?? 3);
                setEditing(true);
              }}
            >
              Modifica
            </Button>
          )}
        </Group>
      ) : (
        <>
        <ConflictAlert
          conflict={conflictOf(conflict, () => {
            // «Ricarica»: the value saved now is shown; what was typed is dropped
            setConflict(null);
            setEditing(false);
            onSaved();
          })}
        />
        <Group align="flex-end" wrap="nowrap">
          <NumberInput
            label="Giorni consecutivi di pasto in bianco senza certificato"
            min={1}
            max={30}
            allowDecimal={false}
            value={draft}
            onChange={setDraft}
            error={error}
            w={320}
          />
          <Button variant="default" onClick={() => setEditing(false)}>
            Annulla
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Salva
          </Button>
        </Group>
        </>
      )}
    </Card>
  );
}
