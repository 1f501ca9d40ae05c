import type { ConnectionAnswer, ConnectionStatus } from '../preload/bridge';
import {
  ConnectionConfigError,
  DEFAULT_SERVER_PORT,
  formatServerAddress,
  normalizeFingerprint,
  parseServerAddress,
  type ConnectionChoice,
} from './connection-config';

/**
 * The main-process side of the setup screen (first start, or an administrator's change): it
 * answers the screen's requests on `rette:connection` and decides what is allowed:
 * - on the first start anyone at the computer chooses (there is nothing to protect yet);
 * - a change needs an administrator's sign-in first (on the local database, or on the office server
 *   through the pinned certificate): a clerk cannot point the desktop at another server;
 * - a server is accepted only with the fingerprint that main itself read from it in this screen
 *   and the person confirmed: the page cannot slip in another one.
 * No `electron` import: tested as is.
 */
export interface SetupDeps {
  /** the choice in force (null on the first start) */
  current(): ConnectionChoice | null;
  /** checks an administrator's credentials where the data is now (local database or server) */
  verifyAdmin(username: string, password: string): Promise<{ ok: boolean; message: string }>;
  /** reads the fingerprint of the certificate the server presents now */
  probe(address: { host: string; port: number }): Promise<string>;
  now(): Date;
  /** the choice is confirmed: main saves it and starts (or restarts) in that mode */
  chosen(choice: ConnectionChoice): void;
  /** the screen was closed without a change */
  cancelled(): void;
}

export interface ConnectionSetup {
  /** opens the screen's state: 'primo-avvio' or 'cambio' (reason: why it is asked again) */
  open(purpose: 'primo-avvio' | 'cambio', reason?: string | null): void;
  close(): void;
  status(): ConnectionStatus;
  handle(request: unknown): Promise<ConnectionAnswer>;
}

const fail = (message: string): ConnectionAnswer => ({ ok: false, message });

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length <= max ? value : null;
}

export function createConnectionSetup(deps: SetupDeps): ConnectionSetup {
  let purpose: 'primo-avvio' | 'cambio' | null = null;
  let reason: string | null = null;
  let adminVerified = false;
  /** what main read from a server in this screen: address → fingerprint */
  const probed = new Map<string, string>();

  function status(): ConnectionStatus {
    const current = deps.current();
    return {
      open: purpose !== null,
      purpose,
      adminRequired: purpose === 'cambio' && !adminVerified,
      reason,
      current: current === null ? null : current.mode === 'locale' ? { mode: 'locale' } : { mode: 'server', address: formatServerAddress(current), fingerprint: current.fingerprint },
      defaultPort: DEFAULT_SERVER_PORT,
    };
  }

  function mayChoose(): string | null {
    if (purpose === null) return 'La scelta della connessione non è aperta';
    if (purpose === 'cambio' && !adminVerified) return 'Per cambiare la connessione serve l’accesso di un amministratore';
    return null;
  }

  function finish(choice: ConnectionChoice): ConnectionAnswer {
    purpose = null;
    adminVerified = false;
    probed.clear();
    deps.chosen(choice);
    return { ok: true, value: choice };
  }

  async function handle(request: unknown): Promise<ConnectionAnswer> {
    if (typeof request !== 'object' || request === null) return fail('Richiesta non valida');
    const r = request as Record<string, unknown>;
    switch (r.action) {
      case 'status':
        return { ok: true, value: status() };
      case 'verifyAdmin': {
        if (purpose !== 'cambio') return fail('Nessun cambio di connessione in corso');
        const username = text(r.username, 100);
        const password = text(r.password, 200);
        if (!username?.trim() || !password) return fail('Inserire nome utente e password di un amministratore');
        const result = await deps.verifyAdmin(username.trim(), password);
        if (!result.ok) return fail(result.message);
        adminVerified = true;
        return { ok: true, value: status() };
      }
      case 'probe': {
        const refused = mayChoose();
        if (refused) return fail(refused);
        const raw = text(r.address, 300);
        if (raw === null) return fail('Indirizzo non valido');
        try {
          const address = parseServerAddress(raw);
          const fingerprint = await deps.probe(address);
          probed.set(formatServerAddress(address), fingerprint);
          return { ok: true, value: { address: formatServerAddress(address), fingerprint } };
        } catch (err) {
          return fail(err instanceof Error ? err.message : String(err));
        }
      }
      case 'chooseLocal': {
        const refused = mayChoose();
        if (refused) return fail(refused);
        return finish({ mode: 'locale', chosenAt: deps.now().toISOString() });
      }
      case 'chooseServer': {
        const refused = mayChoose();
        if (refused) return fail(refused);
        const raw = text(r.address, 300);
        const fingerprint = normalizeFingerprint(text(r.fingerprint, 200));
        if (raw === null || fingerprint === null) return fail('Indirizzo o impronta non validi');
        let address;
        try {
          address = parseServerAddress(raw);
        } catch (err) {
          return fail(err instanceof ConnectionConfigError ? err.message : 'Indirizzo non valido');
        }
        const read = probed.get(formatServerAddress(address));
        if (!read) return fail('Leggere prima l’impronta del certificato del server');
        if (read !== fingerprint) return fail('L’impronta confermata non è quella letta dal server: leggerla di nuovo');
        return finish({ mode: 'server', host: address.host, port: address.port, fingerprint, chosenAt: deps.now().toISOString() });
      }
      case 'cancel': {
        if (purpose !== 'cambio') return fail('Al primo avvio occorre scegliere come lavorare');
        purpose = null;
        adminVerified = false;
        probed.clear();
        deps.cancelled();
        return { ok: true, value: null };
      }
      default:
        return fail('Richiesta non valida');
    }
  }

  return {
    open(p, why = null) {
      purpose = p;
      reason = why;
      adminVerified = false;
      probed.clear();
    },
    close() {
      purpose = null;
      adminVerified = false;
      probed.clear();
    },
    status,
    handle,
  };
}
