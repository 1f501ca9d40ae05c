/**
 * The example row of the import template (`template.ts`): a pupil who does not exist. A file that
 * still holds it is told so on that row ("riga di esempio del modello"), so the example is never
 * imported as a real child.
 */
import { buildCodiceFiscale } from '../identifiers/codice-fiscale';

export const EXAMPLE_PUPIL = { lastName: 'Esempio', firstName: 'Alunna', birthDate: '2019-05-10' } as const;
export const EXAMPLE_PAYER = { lastName: 'Esempio', firstName: 'Genitore', birthDate: '1985-02-20' } as const;

export const EXAMPLE_PUPIL_TAX_CODE = buildCodiceFiscale({ ...EXAMPLE_PUPIL, sex: 'F', belfiore: 'C800' });
export const EXAMPLE_PAYER_TAX_CODE = buildCodiceFiscale({ ...EXAMPLE_PAYER, sex: 'M', belfiore: 'C800' });

export const EXAMPLE_ROW_MESSAGE = 'Riga di esempio del modello: sostituirla con i dati di un alunno o cancellarla';
