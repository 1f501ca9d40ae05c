import { useState } from 'react';
import { currentYear, romeToday, useLookups } from '../master-data/lookups';

/**
 * The school year a diet screen shows: the current one until the user picks another (or clears
 * the filter, where allowed). The lookups load after the first render, so the default is computed
 * on every render rather than frozen in the initial state.
 */
export function useYearChoice(): [string | null, (v: string | null) => void] {
  const lookups = useLookups();
  const [chosen, setChosen] = useState<string | null | undefined>(undefined);
  const current = currentYear(lookups.schoolYears, romeToday());
  return [chosen === undefined ? (current ? String(current.id) : null) : chosen, setChosen];
}
