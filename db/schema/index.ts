export * from './users';
export * from './master-data';
export * from './people';
