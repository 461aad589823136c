/** What a sandbox method does when it is charged. */
export type SandboxOutcome = 'succeed' | 'decline' | 'insufficient_funds' | 'authenticate' | 'network_error';

export interface SandboxTestToken {
  /** What charging a method attached with this token does. */
  readonly outcome: SandboxOutcome;
  /** For the documentation, the demo's card picker and error messages. */
  readonly description: string;
  /** The display details attach returns, as a real gateway's would: never a card number. */
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
}

/**
 * The tokens the sandbox gateway accepts in place of what a gateway's client library would hand
 * over after the customer typed their card. Each picks how charges to the method end, so tests and
 * the demo can walk every path a real gateway can take. The last four digits are those of Stripe's
 * test cards that behave alike.
 */
export const SANDBOX_TEST_TOKENS = {
  tok_sandbox_success: {
    outcome: 'succeed',
    description: 'Visa ending 4242: charges succeed.',
    brand: 'visa',
    last4: '4242',
    expMonth: 12,
    expYear: 2034,
  },
  tok_sandbox_decline: {
    outcome: 'decline',
    description: 'Visa ending 0002: charges fail with card_declined; nothing is taken.',
    brand: 'visa',
    last4: '0002',
    expMonth: 12,
    expYear: 2034,
  },
  tok_sandbox_insufficient_funds: {
    outcome: 'insufficient_funds',
    description: 'Visa ending 9995: charges fail with insufficient_funds; nothing is taken.',
    brand: 'visa',
    last4: '9995',
    expMonth: 12,
    expYear: 2034,
  },
  tok_sandbox_authentication_required: {
    outcome: 'authenticate',
    description:
      'Visa ending 3184: charges end in requires_action (3-D Secure); completeAuthentication settles them.',
    brand: 'visa',
    last4: '3184',
    expMonth: 12,
    expYear: 2034,
  },
  tok_sandbox_network_error: {
    outcome: 'network_error',
    description: 'Visa ending 0119: attaching works, charges get no answer (unavailable) and take nothing.',
    brand: 'visa',
    last4: '0119',
    expMonth: 12,
    expYear: 2034,
  },
} as const satisfies Readonly<Record<string, SandboxTestToken>>;

export type SandboxTestTokenName = keyof typeof SANDBOX_TEST_TOKENS;

export function isSandboxTestToken(token: string): token is SandboxTestTokenName {
  return Object.hasOwn(SANDBOX_TEST_TOKENS, token);
}
