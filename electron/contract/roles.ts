export const ROLES = ['operatore', 'supervisore', 'amministratore'] as const;
export type Role = (typeof ROLES)[number];
/** `pubblico`: callable before login (first-start set-up, login itself). */
export type Access = Role | 'pubblico';

export const ROLE_LABELS: Record<Role, string> = {
  operatore: 'Operatore',
  supervisore: 'Supervisore',
  amministratore: 'Amministratore',
};

const RANK: Record<Role, number> = { operatore: 1, supervisore: 2, amministratore: 3 };

export function roleAllows(userRole: Role, required: Access): boolean {
  if (required === 'pubblico') return true;
  return RANK[userRole] >= RANK[required];
}
