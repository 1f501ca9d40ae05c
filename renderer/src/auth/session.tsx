import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call, getSession, onUnauthenticated, setSession, type ProcOutput } from '../api/client';
import { ROLES, type Role } from '../../../electron/contract/roles';

export type CurrentUser = ProcOutput<'auth.login'>['user'];

interface SessionState {
  /** 'loading' until auth.status answers */
  phase: 'loading' | 'setup' | 'login' | 'ready' | 'offline';
  user: CurrentUser | null;
  /** why the user is back on the login page (session expired), shown there once */
  notice: string | null;
  offlineMessage: string | null;
  signedIn(session: string, user: CurrentUser): void;
  /** leaves this session; `everywhere`: every session of the user, on every workstation and browser */
  signOut(everywhere?: boolean): Promise<void>;
  refresh(): Promise<void>;
  can(role: Role): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

const RANK: Record<Role, number> = Object.fromEntries(ROLES.map((r, i) => [r, i + 1])) as Record<Role, number>;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<SessionState['phase']>('loading');
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [offlineMessage, setOfflineMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const status = await call('auth.status', {});
      if (status.needsSetup) {
        setSession(null);
        setUser(null);
        setPhase('setup');
      } else if (status.user) {
        setUser(status.user);
        setPhase('ready');
      } else {
        setSession(null);
        setUser(null);
        setPhase('login');
      }
    } catch (err) {
      setOfflineMessage(err instanceof Error ? err.message : String(err));
      setPhase('offline');
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    onUnauthenticated(() => {
      setUser(null);
      setNotice('La sessione è scaduta o è stata chiusa: accedere di nuovo');
      setPhase('login');
    });
    return () => onUnauthenticated(null);
  }, []);

  const value = useMemo<SessionState>(
    () => ({
      phase,
      user,
      notice,
      offlineMessage,
      signedIn(session, u) {
        setSession(session);
        setUser(u);
        setNotice(null);
        setPhase('ready');
      },
      async signOut(everywhere = false) {
        if (getSession()) {
          try {
            if (everywhere) await call('auth.logoutEverywhere', {});
            else await call('auth.logout', {});
          } catch {
            // the session may already be gone: leaving is what matters
          }
        }
        setSession(null);
        setUser(null);
        setNotice(null);
        setPhase('login');
      },
      refresh,
      can(role) {
        return !!user && RANK[user.role] >= RANK[role];
      },
    }),
    [phase, user, notice, offlineMessage, refresh],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession fuori da SessionProvider');
  return s;
}
