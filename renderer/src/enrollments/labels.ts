export const STATUS_LABEL = { bozza: 'Bozza', attiva: 'Attiva', sospesa: 'Sospesa', ritirata: 'Ritirata' } as const;
export const STATUS_COLOR = { bozza: 'gray', attiva: 'green', sospesa: 'orange', ritirata: 'red' } as const;
export const PAYMENT_LABEL = { prepagato: 'Prepagato', sdd: 'SDD' } as const;
