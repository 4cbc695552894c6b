export const ROLES = ['viewer', 'agent', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** owner > admin > agent > viewer */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export interface AuthPrincipal {
  userId: string;
  tenantId: string;
  role: Role;
}
