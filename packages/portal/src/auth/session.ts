import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.js';

export type Role = 'admin' | 'operator' | 'support' | 'read-only' | 'customer';

export interface SignedInUser {
  readonly id: string;
  readonly email: string;
  readonly kind: 'staff' | 'customer';
  readonly role: Role;
  readonly customerId: string | null;
}

export interface SessionInfo {
  readonly user: SignedInUser;
  readonly expiresAt: string;
}

export const SESSION_KEY = ['session'] as const;

/** The signed-in user, or null when nobody is (a 401 is an answer here, not an error). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SessionInfo | null> => {
      try {
        return await api<SessionInfo>('/v1/me');
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

const STAFF_ORDER: readonly Role[] = ['read-only', 'support', 'operator', 'admin'];

/** Whether a staff user holds at least `needed` (support sees and notes; operators act; admins manage). */
export function hasRole(user: SignedInUser | undefined | null, needed: Exclude<Role, 'customer'>): boolean {
  if (user === undefined || user === null || user.role === 'customer') return false;
  return STAFF_ORDER.indexOf(user.role) >= STAFF_ORDER.indexOf(needed);
}

export function useSignOut(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    try {
      await api('/v1/sessions/current/end', { method: 'POST' });
    } finally {
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    }
  };
}

/** The operator (tenant) to sign in to: from ?operator= in the address, else the one used last. */
export function rememberedOperator(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('operator');
  if (fromUrl !== null && fromUrl !== '') {
    localStorage.setItem('tollgate.operator', fromUrl);
    return fromUrl;
  }
  return localStorage.getItem('tollgate.operator') ?? '';
}
