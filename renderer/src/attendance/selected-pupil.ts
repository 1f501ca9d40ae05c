import { useCallback, useState } from 'react';
import type { RemoteOption } from '../components/remote-select';

const PUPIL_KEY = 'rette.presenze.alunno';
const PAYER_KEY = 'rette.conti.pagante';

/** A picked option kept for this tab under `key`, so moving between screens keeps it. */
function useRemembered(key: string): [RemoteOption | null, (p: RemoteOption | null) => void] {
  const [option, setOption] = useState<RemoteOption | null>(() => {
    try {
      const raw = sessionStorage.getItem(key);
      return raw ? (JSON.parse(raw) as RemoteOption) : null;
    } catch {
      return null;
    }
  });
  const set = useCallback(
    (p: RemoteOption | null) => {
      if (p) sessionStorage.setItem(key, JSON.stringify(p));
      else sessionStorage.removeItem(key);
      setOption(p);
    },
    [key],
  );
  return [option, set];
}

/**
 * The pupil the office is working on, shared by "Presenze e disdette", "Prova delle disdette" and
 * "Conto dell'alunno" (kept for this tab, so moving between the screens keeps the pupil).
 */
export function useSelectedPupil() {
  return useRemembered(PUPIL_KEY);
}

/** The payer whose family statement the office is reading. */
export function useSelectedPayer() {
  return useRemembered(PAYER_KEY);
}

/** Picks the pupil for those screens from another screen (e.g. the pupil's form), before navigating. */
export function rememberPupil(p: RemoteOption) {
  sessionStorage.setItem(PUPIL_KEY, JSON.stringify(p));
}

/** Picks the payer for the family statement from another screen (the payer's form). */
export function rememberPayer(p: RemoteOption) {
  sessionStorage.setItem(PAYER_KEY, JSON.stringify(p));
}
