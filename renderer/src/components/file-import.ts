import { useState } from 'react';
import { notifyError, notifySuccess } from '../api/hooks';
import { readBase64 } from './file-base64';

/**
 * The two steps of a file import page (pagoPA reporting, the bank's SDD returns): picking a file
 * reads it and asks the server for a preview (`readPreview`); `commit` records the preview, shows
 * the summary it returns as `done` and in a notification, and clears the file. Failures become
 * Italian notifications with the page's titles.
 */
export function useFileImport<P>(readPreview: (fileName: string, contentBase64: string) => Promise<P>) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<P | null>(null);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function check(f: File | null) {
    setFile(f);
    setPreview(null);
    setDone(null);
    if (!f) return;
    setBusy('preview');
    try {
      const contentBase64 = await readBase64(f);
      setPreview(await readPreview(f.name, contentBase64));
    } catch (err) {
      notifyError(err, 'File non letto');
    } finally {
      setBusy(null);
    }
  }

  /** `record` saves the preview and returns the summary; `titles` are the notifications' titles. */
  async function commit(record: (preview: P) => Promise<string>, titles: { success: string; failure: string }, after?: () => void) {
    if (!preview) return;
    setBusy('commit');
    try {
      const msg = await record(preview);
      setDone(msg);
      setPreview(null);
      setFile(null);
      after?.();
      notifySuccess(msg, titles.success);
    } catch (err) {
      notifyError(err, titles.failure);
    } finally {
      setBusy(null);
    }
  }

  return { file, preview, busy, done, check, commit };
}
