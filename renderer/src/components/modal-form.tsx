import type { ReactNode } from 'react';
import { Button, Group, Loader, Stack, type MantineSpacing } from '@mantine/core';

/**
 * The form inside an editing modal: no browser validation (the backend answers per field),
 * Enter submits, the fields stacked one under the other.
 */
export function ModalForm({ onSubmit, gap, children }: { onSubmit: () => Promise<void> | void; gap?: MantineSpacing; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      <Stack gap={gap}>{children}</Stack>
    </form>
  );
}

/** What an editing modal shows while its record loads. */
export function ModalLoading() {
  return (
    <Group justify="center" py="xl">
      <Loader />
    </Group>
  );
}

/**
 * "Annulla" and the submit button ("Salva" unless told) at the bottom right of a modal form.
 * "Annulla" is the user's explicit choice to drop what was typed: it closes without asking
 * (Esc, a click outside and the × ask, see FormModal).
 */
export function FormModalFooter({ onCancel, busy, submitLabel = 'Salva' }: { onCancel: () => void; busy: boolean; submitLabel?: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Annulla
      </Button>
      <Button type="submit" loading={busy}>
        {submitLabel}
      </Button>
    </Group>
  );
}
