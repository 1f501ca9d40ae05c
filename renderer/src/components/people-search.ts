import { call, type ProcOutput } from '../api/client';
import { taxCodeFacts } from '../../../electron/contract/vocabulary/tax-code';
import { plural } from '../format/words';
import type { RemoteOption } from './remote-select';

type PupilRow = ProcOutput<'pupils.list'>['rows'][number];
type PayerRow = ProcOutput<'payers.list'>['rows'][number];

/** A pupil's sex, from the codice fiscale (null when the code does not say). */
export function pupilSex(taxCode: string): 'M' | 'F' | undefined {
  return taxCodeFacts(taxCode, 9999)?.sex;
}

/**
 * A pupil as a picker's option: name, badge and class on the line that stays in the box (two
 * children of the same name differ there), school and codice fiscale below in the list.
 */
export function pupilOption(p: Pick<PupilRow, 'id' | 'lastName' | 'firstName' | 'taxCode' | 'userCode' | 'schoolName' | 'className'>): RemoteOption {
  return {
    value: String(p.id),
    label: `${p.lastName} ${p.firstName} · badge ${p.userCode}${p.className ? ` · classe ${p.className}` : ''}`,
    description: `${p.schoolName}${p.className ? `, classe ${p.className}` : ''} · ${p.taxCode}`,
    sex: pupilSex(p.taxCode),
  };
}

/** A payer as a picker's option: name and codice fiscale; the children's count below. */
export function payerOption(p: Pick<PayerRow, 'id' | 'lastName' | 'firstName' | 'taxCode'> & { pupils?: number; town?: string }): RemoteOption {
  const below = [p.pupils !== undefined ? plural(p.pupils, 'alunno', 'alunni') : null, p.town || null].filter(Boolean).join(' · ');
  return { value: String(p.id), label: `${p.lastName} ${p.firstName} · ${p.taxCode}`, description: below || undefined };
}

/** The pupils matching what was typed (surname, name, codice fiscale, badge), for a RemoteSelect. */
export async function searchPupils(text: string): Promise<RemoteOption[]> {
  const out = await call('pupils.list', { search: text || undefined, limit: 30 });
  return out.rows.map(pupilOption);
}

/** The payers matching what was typed (surname, name, codice fiscale), for a RemoteSelect. */
export async function searchPayers(text: string): Promise<RemoteOption[]> {
  const out = await call('payers.list', { search: text || undefined, limit: 30 });
  return out.rows.map(payerOption);
}
