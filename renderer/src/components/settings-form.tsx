import type { ReactNode } from 'react';
import { Button, Card, Group } from '@mantine/core';
import { ModalForm } from './modal-form';

/** A settings page's form in a card (Dati della ditta, Impostazioni SDD): the fields, then "Salva" at the bottom right for who may edit. */
export function SettingsFormCard({ onSubmit, canEdit, busy, children }: { onSubmit: () => Promise<void> | void; canEdit: boolean; busy: boolean; children: ReactNode }) {
  return (
    <Card withBorder>
      <ModalForm onSubmit={onSubmit}>
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
