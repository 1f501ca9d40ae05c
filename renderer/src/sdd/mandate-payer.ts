import { navigate } from '../app/router';
import type { RemoteOption } from '../components/remote-select';

const KEY = 'rette.mandati.pagante';

/** Opens «Mandati SDD» on one payer's mandates (from the payer's card). */
export function openPayerMandates(payer: RemoteOption) {
  sessionStorage.setItem(KEY, JSON.stringify(payer));
  navigate('/mandati-sdd');
}

/** The payer the mandates page was opened for, taken once (a later visit shows every mandate). */
export function takePayerForMandates(): RemoteOption | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return raw ? (JSON.parse(raw) as RemoteOption) : null;
  } catch {
    return null;
  }
}
