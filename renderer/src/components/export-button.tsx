import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { ApiError, call, type ProcInput, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { plural } from '../format/words';

type ExportName =
  | 'pupils.export'
  | 'payers.export'
  | 'enrollments.export'
  | 'audit.export'
  | 'attendance.historyExport'
  | 'attendance.attemptsExport'
  | 'kitchen.export'
  | 'ledger.registerExport'
  | 'sdd.mandates.export'
  | 'diets.renewalsExport'
  | 'diets.schoolListExport';

/** Saves a base64 file from the backend through the browser's download (Blob + anchor). */
export function downloadBase64(fileName: string, base64: string, mime: string) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An export with no row (issue 12): said in a notice, no file downloaded. */
function notifyNothingToExport(message = 'Nessuna riga da esportare con questi filtri: nessun file creato') {
  notifications.show({ color: 'yellow', title: 'Niente da esportare', message, autoClose: 6000 });
}


/** "Esporta Excel": the same filters as the list on screen, all rows, one .xlsx file (disabled without filters, or when told). */
export function ExportButton<N extends ExportName>({ name, filters, disabled = false }: { name: N; filters: ProcInput<N> | null; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      leftSection={<IconFileSpreadsheet size={16} />}
      loading={busy}
      disabled={disabled || filters === null}
      onClick={() => void (async () => {
        if (filters === null) return;
        setBusy(true);
        try {
          // the exports answer with the same shape (exportFileOut)
          const out = (await call(name, filters)) as ProcOutput<ExportName>;
          // the backend refuses empty exports; a file without rows is never downloaded either way
          if (out.rows === 0) return notifyNothingToExport();
          downloadBase64(out.fileName, out.contentBase64, XLSX_MIME);
          notifySuccess(`${plural(out.rows, 'riga esportata', 'righe esportate')} in ${out.fileName}`, 'Esportazione completata');
        } catch (err) {
          if (err instanceof ApiError && err.code === 'NOT_FOUND' && /^Nessun/.test(err.message)) notifyNothingToExport(err.message);
          else notifyError(err, 'Esportazione non riuscita');
        } finally {
          setBusy(false);
        }
      })()}
    >
      Esporta Excel
    </Button>
  );
}
