import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { call } from '../api/client';
import { reachability, retryDelaySeconds, subscribeReachability, type Reachability } from '../api/reachability';
import { useSession } from '../auth/session';

/**
 * «Server non raggiungibile: nuovo tentativo tra N s» over every screen while the backend does not
 * answer (the office server in client mode, the program in browser mode). It tries again by itself
 * (5, 10, 20, then every 30 seconds) with a cheap public call, and at once with «Riprova ora».
 * Whatever was typed stays where it is: a form whose save failed is still open. When the server
 * answers again the banner goes; a window that could not even start is started again.
 */
export function OfflineBanner() {
  const [state, setState] = useState<Reachability>(reachability);
  const [left, setLeft] = useState(0);
  const [trying, setTrying] = useState(false);
  const session = useSession();
  const phase = useRef(session.phase);
  phase.current = session.phase;
  const refresh = useRef(session.refresh);
  refresh.current = session.refresh;

  useEffect(() => subscribeReachability(setState), []);

  const retry = useRef<() => Promise<void>>(async () => {});
  retry.current = async () => {
    setTrying(true);
    try {
      await call('auth.status', {});
    } catch {
      // still unreachable: the client has already said so (reachability), the countdown restarts
    } finally {
      setTrying(false);
    }
  };

  // the countdown to the next attempt, restarted by every failure
  useEffect(() => {
    if (state.reachable) return;
    setLeft(retryDelaySeconds(state.failures));
    const timer = setInterval(() => {
      setLeft((s) => {
        if (s <= 1) {
          clearInterval(timer);
          void retry.current();
          return 0;
        }
        return s - 1;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [state]);

  // back online: a window that started while the server was away starts now
  useEffect(() => {
    if (state.reachable && phase.current === 'offline') void refresh.current();
  }, [state.reachable]);

  if (state.reachable) return null;
  return (
    <Alert
      color="red"
      variant="filled"
      radius={0}
      icon={<IconPlugConnectedX />}
      role="alert"
      aria-live="assertive"
      data-testid="server-non-raggiungibile"
      style={{ position: 'fixed', top: 0, left: 0, right: 0, zIndex: 2000 }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600}>
          {trying ? 'Server non raggiungibile: nuovo tentativo in corso…' : `Server non raggiungibile: nuovo tentativo tra ${left} s`}
          <Text span size="sm" fw={400}>
            {' '}
            · quanto inserito resta nei moduli aperti
          </Text>
        </Text>
        <Button size="xs" variant="white" color="red" loading={trying} onClick={() => void retry.current()}>
          Riprova ora
        </Button>
      </Group>
    </Alert>
  );
}
