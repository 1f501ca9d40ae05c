import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { call, type ProcInput, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { downloadBase64 } from '../components/export-button';

type DietExport = 'diets.renewalsExport' | 'diets.schoolListExport';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "Esporta Excel" for the diet lists (the export is an audited read: personal and health data). */
export function DietExportButton<N extends DietExport>({ name, input, disabled }: { name: N; input: ProcInput<N>; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      leftSection={<IconFileSpreadsheet size={16} />}
      loading={busy}
      disabled={disabled}
      onClick={() =>
        void (async () => {
          setBusy(true);
          try {
            const out = (await call(name, input)) as ProcOutput<DietExport>;
            downloadBase64(out.fileName, out.contentBase64, XLSX_MIME);
            notifySuccess(`${out.rows} righe esportate in ${out.fileName}`, 'Esportazione completata');
          } catch (err) {
            notifyError(err, 'Esportazione non riuscita');
          } finally {
            setBusy(false);
          }
        })()
      }
    >
      Esporta Excel
    </Button>
  );
}
