import { useEffect, useState } from 'react';
import { Alert, Anchor, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { errorMessage } from '../api/client';
import { notifyError } from '../api/hooks';
import { downloadBase64 } from '../components/export-button';

export interface OpenedFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
  sha256?: string;
}

function blobUrl(base64: string, mime: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mime }));
}

/**
 * A stored letter or delivery receipt shown inside the program (PDF in a frame, JPEG/PNG as an
 * image; a PEC receipt as .eml or XML is offered as a download): the backend records each opening.
 */
export function DocumentViewer({ title, load, onClose }: { title: string; load: () => Promise<OpenedFile>; onClose: () => void }) {
  const [file, setFile] = useState<{ opened: OpenedFile; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loader] = useState(() => load);

  useEffect(() => {
    let url: string | null = null;
    let live = true;
    loader()
      .then((opened) => {
        if (!live) return;
        url = blobUrl(opened.contentBase64, opened.mimeType);
        setFile({ opened, url });
      })
      .catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [loader]);

  const shown = file && (file.opened.mimeType === 'application/pdf' || file.opened.mimeType.startsWith('image/'));
  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      {error && (
        <Alert color="red" title="Documento non disponibile" data-testid="document-error">
          {error}
        </Alert>
      )}
      {!file && !error && (
        <Group justify="center" py="xl">
          <Loader />
        </Group>
      )}
      {file && (
        <Stack gap={4} data-testid="document-viewer">
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {file.opened.fileName}
              {file.opened.sha256 ? ` · SHA-256 ${file.opened.sha256.slice(0, 16)}…` : ''} · apertura registrata nel registro
            </Text>
            <Anchor size="xs" href={file.url} download={file.opened.fileName}>
              Scarica
            </Anchor>
          </Group>
          {shown ? (
            <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
              {file.opened.mimeType === 'application/pdf' ? (
                <iframe title={file.opened.fileName} src={file.url} style={{ width: '100%', height: '70vh', border: 0 }} data-testid="document-pdf" />
              ) : (
                <img src={file.url} alt={file.opened.fileName} style={{ maxWidth: '100%', maxHeight: '70vh', display: 'block', margin: '0 auto' }} />
              )}
            </Paper>
          ) : (
            <Text size="sm">Questo tipo di file (ricevuta PEC) non si mostra qui: usare «Scarica» e aprirlo con il programma di posta.</Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}

/** Asks the backend for a file and hands it to the browser as a download, saying why not when it fails. */
export async function downloadFile(get: () => Promise<OpenedFile>) {
  try {
    const f = await get();
    downloadBase64(f.fileName, f.contentBase64, f.mimeType);
  } catch (err) {
    notifyError(err, 'Documento non scaricato');
  }
}
