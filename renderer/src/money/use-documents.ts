import { useState } from 'react';
import { notifyError, notifySuccess } from '../api/hooks';
import { downloadBase64 } from '../components/export-button';

export interface GeneratedFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

/**
 * The documents of a money screen (statements, 730s): `generate(key, get, said)` asks the backend
 * for one, hands it to the browser as a download and says so (or why not), while `busy` names the
 * document being made so that only its button spins.
 */
export function useDocuments() {
  const [busy, setBusy] = useState<string | null>(null);
  async function generate<F extends GeneratedFile>(key: string, get: () => Promise<F>, said: (f: F) => [message: string, title: string]) {
    setBusy(key);
    try {
      const f = await get();
      downloadBase64(f.fileName, f.contentBase64, f.mimeType);
      notifySuccess(...said(f));
    } catch (err) {
      notifyError(err, 'Documento non generato');
    } finally {
      setBusy(null);
    }
  }
  return { busy, generate };
}
