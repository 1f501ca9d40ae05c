import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Group, List, Modal, Skeleton, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBell,
  IconCalendarOff,
  IconChevronRight,
  IconCircleCheck,
  IconClipboardList,
  IconFileEuro,
  IconLock,
  IconPhoneOff,
  IconReportMoney,
  IconSignature,
  IconStethoscope,
} from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { navigate } from '../app/router';
import { formatDate } from '../format/dates';
import { formatCount, noun, plural } from '../format/words';
import { monthLabel } from '../../../electron/contract/vocabulary/months';

type Worklist = ProcOutput<'dashboard.worklist'>;

interface Item {
  key: string;
  icon: ReactNode;
  color: string;
  text: string;
  detail?: string;
  /** the screen that resolves it, with its filters */
  to: string;
}

/** "Cassino e Clusone", "A, B e C" */
function andList(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} e ${names.at(-1)}`;
}

/** The worklist's items other than the arrears, in the order the office meets them in the morning. */
export function worklistItems(w: Worklist): Item[] {
  const items: Item[] = [];
  if (w.unreadNotices)
    items.push({ key: 'avvisi', icon: <IconBell size={18} />, color: 'orange', to: '/chiusura-giornata', text: `${plural(w.unreadNotices, 'avviso', 'avvisi')} sulle presenze da leggere`, detail: 'Giornate chiuse alla riapertura del programma o chiusure non riuscite' });
  if (w.cancellationsToday)
    items.push({ key: 'disdette', icon: <IconPhoneOff size={18} />, color: 'blue', to: `/prova-disdette?giorno=${w.today}`, text: `${plural(w.cancellationsToday, 'disdetta', 'disdette')} per oggi`, detail: `${noun(w.cancellationsToday, 'Alunno', 'Alunni')} senza pasto il ${formatDate(w.today)}` });
  if (w.lateCancellationsToday)
    items.push({ key: 'tardive', icon: <IconAlertTriangle size={18} />, color: 'red', to: `/prova-disdette?giorno=${w.today}`, text: `${plural(w.lateCancellationsToday, 'disdetta tardiva', 'disdette tardive')} oggi`, detail: "Arrivate dopo l'orario limite: il pasto resta addebitato (deroga solo del supervisore)" });
  if (w.draftEnrollments)
    items.push({ key: 'bozze', icon: <IconClipboardList size={18} />, color: 'violet', to: '/iscrizioni?stato=bozza', text: `${plural(w.draftEnrollments, 'iscrizione', 'iscrizioni')} in bozza`, detail: 'Da completare e attivare: fino ad allora nessun pasto è prenotato' });
  if (w.sddWithoutMandate)
    items.push({ key: 'sdd', icon: <IconSignature size={18} />, color: 'orange', to: w.sddWithoutMandateYearId ? `/paganti?sdd-senza-mandato=${w.sddWithoutMandateYearId}` : '/paganti', text: `${plural(w.sddWithoutMandate, 'pagante', 'paganti')} SDD senza mandato attivo`, detail: "Senza mandato (o con il mandato bloccato da un insoluto) l'addebito non parte" });
  for (const year of [...new Set(w.missingBreaks.map((m) => m.schoolYearLabel))]) {
    const rows = w.missingBreaks.filter((m) => m.schoolYearLabel === year);
    const christmas = rows.filter((m) => m.christmas).map((m) => m.municipalityName);
    const easter = rows.filter((m) => m.easter).map((m) => m.municipalityName);
    const parts = [
      christmas.length ? `vacanze di Natale (${andList(christmas)})` : null,
      easter.length ? `vacanze di Pasqua (${andList(easter)})` : null,
    ].filter(Boolean);
    items.push({ key: `vacanze-${year}`, icon: <IconCalendarOff size={18} />, color: 'red', to: '/calendario', text: `Anno ${year}: nel calendario mancano le ${parts.join(' e le ')}`, detail: 'Senza la chiusura i pasti di quei giorni sono prenotati e, alla chiusura della giornata, addebitati' });
  }
  if (w.dietsToApprove)
    items.push({ key: 'diete', icon: <IconStethoscope size={18} />, color: 'teal', to: '/diete/approvazione', text: `${plural(w.dietsToApprove, 'richiesta', 'richieste')} di dieta da approvare` });
  if (w.sddBatchMonth)
    items.push({ key: 'distinta', icon: <IconFileEuro size={18} />, color: 'blue', to: '/distinte-sdd', text: `Distinta SDD di ${monthLabel(w.sddBatchMonth)} da preparare`, detail: `${plural(w.sddBatchPayers, 'pagante', 'paganti')} con addebito SDD` });
  if (w.debtActions)
    items.push({ key: 'morosita', icon: <IconReportMoney size={18} />, color: 'red', to: '/morosita', text: `${plural(w.debtActions, 'famiglia', 'famiglie')} della morosità da seguire`, detail: 'Nuovo passo della procedura raggiunto o ricevuta di consegna attesa' });
  return items;
}

/**
 * "Da fare oggi": what needs doing, each item opening the screen that resolves it, and the past
 * service days left open with the one action that closes them all in order. It follows every
 * change (change notices): a day closed in another window, or by the program at the cutoff,
 * leaves the list without a reload.
 */
export function WorklistCard() {
  const worklist = useQuery('dashboard.worklist', {});
  useChangeNotices(['*'], worklist.reload);
  const w = worklist.data;
  const items = w ? worklistItems(w) : [];
  return (
    <Card withBorder radius="md" data-testid="worklist">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Da fare oggi</Text>
        {w && (
          <Badge variant="light" color={items.length || w.arrears.days ? 'orange' : 'green'} data-testid="worklist-count">
            {items.length + (w.arrears.days ? 1 : 0) ? plural(items.length + (w.arrears.days ? 1 : 0), 'voce', 'voci') : 'niente in sospeso'}
          </Badge>
        )}
      </Group>
      {!w ? (
        <Stack gap={6}>
          <Skeleton h={18} />
          <Skeleton h={18} w="70%" />
        </Stack>
      ) : (
        <Stack gap="xs">
          {w.arrears.days > 0 && <ArrearsAlert arrears={w.arrears} onClosed={() => void worklist.reload()} />}
          {items.map((it) => (
            <UnstyledButton key={it.key} onClick={() => navigate(it.to)} data-testid={`worklist-${it.key}`} style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
              <Group wrap="nowrap" gap="sm" px={6} py={4}>
                <ThemeIcon variant="light" color={it.color} size={30} radius="md">
                  {it.icon}
                </ThemeIcon>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {it.text}
                  </Text>
                  {it.detail && (
                    <Text size="xs" c="dimmed">
                      {it.detail}
                    </Text>
                  )}
                </div>
                <IconChevronRight size={16} color="var(--mantine-color-dimmed)" />
              </Group>
            </UnstyledButton>
          ))}
          {!items.length && !w.arrears.days && (
            <Group gap="xs" data-testid="worklist-empty">
              <IconCircleCheck size={18} color="var(--mantine-color-green-6)" />
              <Text size="sm" c="dimmed">
                Niente in sospeso: le giornate passate sono chiuse e non ci sono richieste in attesa.
              </Text>
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}

function ArrearsAlert({ arrears, onClosed }: { arrears: Worklist['arrears']; onClosed: () => void }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  async function closeAll() {
    setBusy(true);
    try {
      const r = await call('dashboard.closeArrears', {});
      if (r.failure) notifyError(new Error(r.message), 'Chiusura delle giornate interrotta');
      else notifySuccess(r.message, 'Giornate arretrate chiuse');
      setConfirm(false);
      onClosed();
    } catch (err) {
      notifyError(err, 'Giornate non chiuse');
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Alert color="orange" variant="light" icon={<IconLock size={18} />} title={`${plural(arrears.days, 'giornata passata', 'giornate passate')} da chiudere`} data-testid="worklist-arrears">
        <Stack gap={6}>
          <Text size="sm">
            Le prenotazioni di {noun(arrears.days, 'quel giorno', 'quei giorni')} non sono ancora pasti registrati né addebitati.
          </Text>
          <List size="sm" spacing={2}>
            {arrears.municipalities.map((m) => (
              <List.Item key={m.municipalityId} data-testid={`arrears-${m.municipalityId}`}>
                <b>Comune di {m.municipalityName}</b>: {plural(m.days, 'giornata', 'giornate')}
                {m.days > 1 ? ` dal ${formatDate(m.from)} al ${formatDate(m.to)}` : ` (${formatDate(m.from)})`}
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {andList(m.schools)}
                </Text>
              </List.Item>
            ))}
          </List>
          <Group gap="xs">
            <Button size="xs" color="orange" leftSection={<IconLock size={14} />} onClick={() => setConfirm(true)} data-testid="arrears-close">
              Chiudi {arrears.days === 1 ? 'la giornata' : `tutte le ${formatCount(arrears.days)} giornate`} in ordine
            </Button>
            <Button size="xs" variant="subtle" onClick={() => navigate('/chiusura-giornata')}>
              Apri Chiusura giornata
            </Button>
          </Group>
        </Stack>
      </Alert>
      {confirm && (
        <Modal opened onClose={() => !busy && setConfirm(false)} title={`Chiudere ${plural(arrears.days, 'giornata passata', 'giornate passate')}?`} data-testid="arrears-confirm" size="lg">
          <Stack>
            <Text size="sm">
              Le giornate si chiudono una alla volta, dalla più vecchia, come la chiusura a mano: le prenotazioni diventano pasti registrati e addebitati alla tariffa di
              ciascun giorno. Se una giornata non si può chiudere la chiusura si ferma lì, con il motivo, e le successive restano da chiudere.
            </Text>
            <List size="sm">
              {arrears.municipalities.map((m) => (
                <List.Item key={m.municipalityId}>
                  Comune di {m.municipalityName}: {plural(m.days, 'giornata', 'giornate')} dal {formatDate(m.from)} al {formatDate(m.to)}
                </List.Item>
              ))}
            </List>
            <Text size="sm" c="dimmed">
              Giornate già addebitate dal sistema precedente non vanno chiuse qui: in quel caso rivolgersi al supervisore.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(false)} disabled={busy}>
                Annulla
              </Button>
              <Button color="orange" loading={busy} onClick={() => void closeAll()} data-testid="arrears-confirm-button">
                Chiudi {noun(arrears.days, 'la giornata', `le ${formatCount(arrears.days)} giornate`)}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}
