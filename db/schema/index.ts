export * from './users';
export * from './master-data';
export * from './people';
export * from './calendar';
export * from './attendance';
export * from './parents';
export * from './ledger';
export * from './sdd';
