import { useEffect, useState } from 'react';
import { Alert, Anchor, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { call, errorMessage, type ProcOutput } from '../api/client';
import { blobUrl } from './labels';

type Opened = ProcOutput<'diets.attachment'>;

/**
 * The in-app viewer of a certificate (F5): the backend sends the file only to supervisors and the
 * operator handling the request, and records every opening; the page shows it from a blob URL
 * (PDF in a frame, JPEG/PNG as an image), so it never leaves the program as a file.
 */
export function CertificateViewer({ attachmentId, height = 560 }: { attachmentId: number; height?: number }) {
  const [file, setFile] = useState<{ opened: Opened; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let url: string | null = null;
    let live = true;
    setFile(null);
    setError(null);
    call('diets.attachment', { id: attachmentId })
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
  }, [attachmentId]);

  if (error) return <Alert color="red" icon={<IconShieldLock size={18} />} title="Allegato non disponibile" data-testid="certificate-error">{error}</Alert>;
  if (!file) return <Loader size="sm" />;
  const { opened, url } = file;
  return (
    <Stack gap={4} data-testid="certificate-viewer">
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {opened.fileName} · SHA-256 {opened.sha256.slice(0, 16)}… · apertura registrata nel registro
        </Text>
        <Anchor size="xs" href={url} download={opened.fileName}>
          Scarica
        </Anchor>
      </Group>
      <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
        {opened.mimeType === 'application/pdf' ? (
          <iframe title={`Certificato ${opened.fileName}`} src={url} style={{ width: '100%', height, border: 0 }} data-testid="certificate-pdf" />
        ) : (
          <img src={url} alt={`Certificato ${opened.fileName}`} style={{ maxWidth: '100%', maxHeight: height, display: 'block', margin: '0 auto' }} data-testid="certificate-image" />
        )}
      </Paper>
    </Stack>
  );
}
