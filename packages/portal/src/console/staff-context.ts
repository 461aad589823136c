import { createContext, useContext } from 'react';
import { hasRole, type Role, type SignedInUser } from '../auth/session.js';

export const StaffContext = createContext<SignedInUser | null>(null);

/** The signed-in staff member (inside the console shell). */
export function useStaff(): SignedInUser {
  const user = useContext(StaffContext);
  if (user === null) throw new Error('useStaff outside the console shell');
  return user;
}

/** Whether the signed-in staff member may do what needs `role`; buttons hide or disable by it. */
export function useCan(role: Exclude<Role, 'customer'>): boolean {
  return hasRole(useStaff(), role);
}
