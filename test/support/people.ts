/** A payer every field of which the backend accepts: used by the unit tests and the end-to-end suite alike. */
export const VALID_PAYER = {
  firstName: 'Mario',
  lastName: 'Rossi',
  taxCode: 'RSSMRA85T10A562S',
  email: 'mario.rossi@example.it',
  mobile: '347 123 4567',
  street: 'Via Roma',
  streetNumber: '1',
  postcode: '24023',
  town: 'Clusone',
  province: 'BG',
  iban: 'IT60X0542811101000000123456',
  ibanHolder: 'Mario Rossi',
};

/** The caterer's own data (Dati della ditta) the unit and end-to-end suites set before statements, 730s and SDD files. */
export const TEST_CATERER = {
  companyName: 'Ristorazione Città Alta S.r.l.',
  street: "Via Sant'Alessandro",
  streetNumber: '12',
  postcode: '24122',
  town: 'Bergamo',
  province: 'BG',
  vatNumber: '01234567897',
  taxCode: '01234567897',
};
