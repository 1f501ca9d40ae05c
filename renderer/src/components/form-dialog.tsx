import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Drawer, Group, Modal, Stack, Text, type DrawerProps, type ModalProps } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';

/** True while a picker's list or a date picker's calendar is open on screen (its Esc closes only it). */
export function popupOpen(): boolean {
  return Array.from(document.querySelectorAll('.mantine-Popover-dropdown')).some((el) => el.getClientRects().length > 0);
}

/** The guarded dialogs open now, the topmost last: only it answers Esc. */
const openGuards: object[] = [];

/**
 * The rules every form dialog and drawer follows: Esc closes only an open list or calendar, never
 * the dialog behind it; Esc, a click outside and the × close at once when nothing was typed, and
 * ask "Scartare le modifiche?" when something would be lost ("Annulla" is the explicit choice to
 * drop it and closes without asking).
 */
function useGuard(opened: boolean, dirty: boolean, onClose: () => void) {
  const [asking, setAsking] = useState(false);
  const state = useRef({ opened, dirty, asking, onClose });
  state.current = { opened, dirty, asking, onClose };

  const requestClose = useCallback(() => {
    if (state.current.asking) return;
    if (state.current.dirty) setAsking(true);
    else state.current.onClose();
  }, []);

  useEffect(() => {
    if (!opened) return;
    const me = {};
    openGuards.push(me);
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing || state.current.asking) return;
      // only the topmost dialog answers (e.g. a new payer opened from an enrollment)
      if (openGuards[openGuards.length - 1] !== me) return;
      // the popup's own handler closes it; the dialog stays
      if (popupOpen() || (e.target instanceof HTMLElement && e.target.getAttribute('data-mantine-stop-propagation') === 'true')) return;
      requestClose();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
      openGuards.splice(openGuards.indexOf(me), 1);
    };
  }, [opened, requestClose]);

  const confirm = (
    <Modal opened={asking} onClose={() => setAsking(false)} title="Scartare le modifiche?" centered size={460} zIndex={400} data-testid="discard-confirm">
      <Stack>
        <Text size="sm">I dati scritti in questa finestra non sono ancora salvati: chiudendo vanno persi.</Text>
        <Group justify="flex-end" wrap="nowrap">
          <Button variant="default" onClick={() => setAsking(false)} data-autofocus>
            Continua a modificare
          </Button>
          <Button
            color="red"
            onClick={() => {
              setAsking(false);
              state.current.onClose();
            }}
          >
            Scarta le modifiche
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { requestClose, confirm };
}

/** A save refused because someone else saved the record meanwhile (useForm's `conflict`), and how to reload it. */
export type Conflict = { message: string; onReload: () => void } | null;

/** `conflict` from useForm's message and the form's own reload, or null when there is none. */
export function conflictOf(message: string | null, onReload: () => void): Conflict {
  return message ? { message, onReload } : null;
}

/**
 * Issue 14: the message of a save refused because another clerk saved first, in the form (not a
 * notification that fades). «Ricarica» shows the record as it is now; only that click replaces
 * what was typed here.
 */
export function ConflictAlert({ conflict }: { conflict: Conflict }) {
  if (!conflict) return null;
  return (
    <Alert color="orange" icon={<IconUsers size={18} />} title="Modifiche non salvate" data-testid="conflict-alert" role="alert">
      <Stack gap="xs">
        <Text size="sm">{conflict.message}</Text>
        <Text size="xs" c="dimmed">
          Ricaricando, i dati scritti qui sono sostituiti da quelli salvati ora.
        </Text>
        <Group>
          <Button size="xs" color="orange" onClick={conflict.onReload}>
            Ricarica
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

type Guarded = {
  /** something typed that closing would lose (useForm's `dirty`) */
  dirty: boolean;
  onClose: () => void;
  children: ReactNode;
  /** issue 14: a save refused because the record changed meanwhile, shown above the form */
  conflict?: Conflict;
};

/** A form in a modal window, with the closing rules of useGuard. */
export function FormModal({ dirty, onClose, opened = true, children, conflict = null, ...rest }: Guarded & Omit<ModalProps, 'onClose' | 'opened' | 'closeOnEscape'> & { opened?: boolean }) {
  const { requestClose, confirm } = useGuard(opened, dirty, onClose);
  return (
    <>
      <Modal opened={opened} onClose={requestClose} closeOnEscape={false} {...rest}>
        {conflict && (
          <Stack mb="md">
            <ConflictAlert conflict={conflict} />
          </Stack>
        )}
        {children}
      </Modal>
      {confirm}
    </>
  );
}

/** A record's drawer (its actions, or a form in it), with the closing rules of useGuard. */
export function FormDrawer({ dirty, onClose, opened = true, children, conflict = null, ...rest }: Guarded & Omit<DrawerProps, 'onClose' | 'opened' | 'closeOnEscape'> & { opened?: boolean }) {
  const { requestClose, confirm } = useGuard(opened, dirty, onClose);
  return (
    <>
      <Drawer opened={opened} onClose={requestClose} closeOnEscape={false} {...rest}>
        {conflict && (
          <Stack mb="md">
            <ConflictAlert conflict={conflict} />
          </Stack>
        )}
        {children}
      </Drawer>
      {confirm}
    </>
  );
}
