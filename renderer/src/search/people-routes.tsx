import type { ReactNode } from 'react';
import { PupilPage } from '../pupils/pupil-page';
import { PayerPage } from '../payers/payer-page';

/**
 * The pages of one person (issue 12): `#/alunni/123` and `#/paganti/45`. The menu keeps its list
 * (Alunni, Paganti) highlighted; the page is keyed by its path, so moving from a pupil to a
 * sibling starts afresh.
 */
export function personRoute(path: string): { parent: string; page: () => ReactNode } | null {
  const pupil = /^\/alunni\/(\d+)$/.exec(path);
  if (pupil) return { parent: '/alunni', page: () => <PupilPage pupilId={Number(pupil[1])} /> };
  const payer = /^\/paganti\/(\d+)$/.exec(path);
  if (payer) return { parent: '/paganti', page: () => <PayerPage payerId={Number(payer[1])} /> };
  return null;
}
