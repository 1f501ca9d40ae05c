import type { ReactNode } from 'react';
import { Button, Card, Group } from '@mantine/core';
import { ModalForm } from './modal-form';
import { ConflictAlert, type Conflict } from './form-dialog';

/** A settings page's form in a card (Dati della ditta, Impostazioni SDD): the fields, then "Salva" at the bottom right for who may edit. */
export function SettingsFormCard({ onSubmit, canEdit, busy, children, conflict = null }: { onSubmit: () => Promise<void> | void; canEdit: boolean; busy: boolean; children: ReactNode; conflict?: Conflict }) {
  return (
    <Card withBorder>
      <ModalForm onSubmit={onSubmit}>
        <ConflictAlert conflict={conflict} />
        {children}
        {canEdit && (
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Salva
            </Button>
          </Group>
        )}
      </ModalForm>
    </Card>
  );
}
