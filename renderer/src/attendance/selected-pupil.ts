import { useCallback, useState } from 'react';
import type { RemoteOption } from '../components/remote-select';

const KEY = 'rette.presenze.alunno';

/**
 * The pupil the office is working on, shared by "Presenze e disdette" and "Prova delle disdette"
 * (kept for this tab, so moving between the two screens keeps the pupil).
 */
export function useSelectedPupil(): [RemoteOption | null, (p: RemoteOption | null) => void] {
  const [pupil, setPupil] = useState<RemoteOption | null>(() => {
    try {
      const raw = sessionStorage.getItem(KEY);
      return raw ? (JSON.parse(raw) as RemoteOption) : null;
    } catch {
      return null;
    }
  });
  const set = useCallback((p: RemoteOption | null) => {
    if (p) sessionStorage.setItem(KEY, JSON.stringify(p));
    else sessionStorage.removeItem(KEY);
    setPupil(p);
  }, []);
  return [pupil, set];
}
