import { useEffect, useState } from 'react';
import { Alert, Button, Code, Container, Group, Loader, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconServer, IconShieldCheck } from '@tabler/icons-react';
import type { ConnectionAnswer, ConnectionRequest, ConnectionStatus } from '../api/client';

type Ask = (request: ConnectionRequest) => Promise<ConnectionAnswer>;

/** `AB:CD:…` in lines of eight pairs, easier to compare aloud with the server's. */
export function groupFingerprint(fingerprint: string): string[] {
  const pairs = fingerprint.split(':');
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 8) lines.push(pairs.slice(i, i + 8).join(':'));
  return lines;
}

/**
 * The desktop's choice of connection (window `#/connessione`, opened by main on the first start or
 * from File › Connessione al server dell'ufficio…): "Solo questo computer" or "Collegati al server
 * dell'ufficio". For the server, main reads the certificate's fingerprint; the person compares it
 * with the one the server printed and confirms (trust on first use). A change asks an
 * administrator's sign-in first. Main checks all of it again (electron/main/connection-setup.ts).
 */
export function ConnectionSetupScreen({ ask }: { ask: Ask }) {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [mode, setMode] = useState<'locale' | 'server'>('locale');
  const [address, setAddress] = useState('');
  const [probed, setProbed] = useState<{ address: string; fingerprint: string } | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    void ask({ action: 'status' }).then((r) => {
      if (r.ok) {
        const s = r.value as ConnectionStatus;
        setStatus(s);
        if (s.current?.mode === 'server') {
          setMode('server');
          setAddress(s.current.address);
        }
      } else setError(r.message);
    });
  }, [ask]);

  async function send(request: ConnectionRequest): Promise<unknown> {
    setBusy(true);
    setError(null);
    try {
      const r = await ask(request);
      if (!r.ok) {
        setError(r.message);
        return null;
      }
      return r.value ?? true;
    } finally {
      setBusy(false);
    }
  }

  if (!status) {
    return (
      <Container size="sm" py="xl">
        {error ? <Alert color="red">{error}</Alert> : <Loader />}
      </Container>
    );
  }
  if (done) {
    return (
      <Container size="sm" py="xl">
        <Group>
          <Loader size="sm" />
          <Text>Scelta salvata: Rette Mensa si avvia nel modo scelto…</Text>
        </Group>
      </Container>
    );
  }

  const changing = status.purpose === 'cambio';
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={2}>{changing ? 'Cambiare la connessione di questo computer' : 'Come lavora questo computer?'}</Title>
        {status.reason && (
          <Alert color="yellow" icon={<IconAlertTriangle />}>
            {status.reason}
          </Alert>
        )}
        {changing && status.current && (
          <Text size="sm" c="dimmed">
            Adesso:{' '}
            {status.current.mode === 'locale' ? 'solo questo computer (database locale)' : `collegato al server dell’ufficio ${status.current.address}`}
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}

        {status.adminRequired ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void send({ action: 'verifyAdmin', username, password }).then((v) => {
                setPassword('');
                if (v) setStatus(v as ConnectionStatus);
              });
            }}
          >
            <Stack>
              <Text>Solo un amministratore può cambiare la connessione. Accedere con un utente amministratore.</Text>
              <TextInput label="Nome utente" value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="username" required />
              <PasswordInput label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required />
              <Group>
                <Button type="submit" loading={busy}>
                  Accedi
                </Button>
                <Button variant="default" onClick={() => void send({ action: 'cancel' })}>
                  Annulla
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <>
            <Radio.Group value={mode} onChange={(v) => setMode(v as 'locale' | 'server')} label="Scegliere dove stanno i dati">
              <Stack mt="xs">
                <Radio value="locale" label="Solo questo computer" description="I dati restano in un database su questo computer. Nessuna configurazione." />
                <Radio
                  value="server"
                  label="Collegati al server dell’ufficio"
                  description="I dati stanno sul server dell’ufficio, condivisi con i colleghi; qui si accede con il proprio nome utente."
                />
              </Stack>
            </Radio.Group>

            {mode === 'locale' ? (
              <Group>
                <Button loading={busy} onClick={() => void send({ action: 'chooseLocal' }).then((v) => v && setDone(true))}>
                  Usa solo questo computer
                </Button>
                {changing && (
                  <Button variant="default" onClick={() => void send({ action: 'cancel' })}>
                    Annulla
                  </Button>
                )}
              </Group>
            ) : (
              <Stack>
                <TextInput
                  label="Indirizzo del server"
                  description="Nome o indirizzo IP del server e porta, come li ha stampati il server all’avvio"
                  placeholder={`192.168.1.20:${status.defaultPort}`}
                  value={address}
                  onChange={(e) => {
                    setAddress(e.currentTarget.value);
                    setProbed(null);
                  }}
                />
                <Group>
                  <Button
                    leftSection={<IconServer size={16} />}
                    variant="light"
                    loading={busy && !probed}
                    onClick={() =>
                      void send({ action: 'probe', address }).then((v) => {
                        if (v) setProbed(v as { address: string; fingerprint: string });
                      })
                    }
                  >
                    Leggi l’impronta del certificato
                  </Button>
                  {changing && (
                    <Button variant="default" onClick={() => void send({ action: 'cancel' })}>
                      Annulla
                    </Button>
                  )}
                </Group>
                {probed && (
                  <Alert color="blue" icon={<IconShieldCheck />} title={`Impronta del certificato di ${probed.address}`}>
                    <Stack gap="xs">
                      <Code block data-testid="impronta-server">
                        {groupFingerprint(probed.fingerprint).join('\n')}
                      </Code>
                      <Text size="sm">
                        Confrontarla, cifra per cifra, con l’impronta che il server ha stampato all’avvio (o che l’amministratore ha annotato).
                        Solo se è identica, confermare: da quel momento questo computer accetta soltanto quel certificato.
                      </Text>
                      <Group>
                        <Button
                          color="green"
                          loading={busy}
                          onClick={() =>
                            void send({ action: 'chooseServer', address: probed.address, fingerprint: probed.fingerprint }).then((v) => v && setDone(true))
                          }
                        >
                          L’impronta è identica: collega questo computer
                        </Button>
                      </Group>
                    </Stack>
                  </Alert>
                )}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Container>
  );
}
