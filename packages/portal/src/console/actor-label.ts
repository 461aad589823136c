import type { SignedInUser } from '../auth/session.js';
import type { Actor } from './console-types.js';

/**
 * Who did something, as the API records it (a user, an API key or the system). The API gives
 * ids, not names; the signed-in staff member's own entries read "you".
 */
export function actorLabel(actor: Actor, me: SignedInUser): string {
  if (actor.type === 'system') return 'the system';
  if (actor.type === 'user' && actor.id === me.id) return 'you';
  const kind = actor.type === 'api_key' ? 'API key' : actor.type === 'user' ? 'user' : actor.type;
  return `${kind} ${actor.id.slice(0, 8)}`;
}
