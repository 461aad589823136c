import { type Static, Type } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './check-password-rules.js';

const StaffRole = Type.Union(
  [Type.Literal('admin'), Type.Literal('operator'), Type.Literal('support'), Type.Literal('read-only')],
  { description: 'staff role, ordered admin > operator > support > read-only' },
);
const Email = Type.String({ format: 'email', maxLength: 320 });
const NewPassword = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not the e-mail address`,
});
const TenantSlug = Type.String({ minLength: 1, maxLength: 100, description: "the operator's slug" });

export const CreateUserBody = Type.Object(
  {
    email: Email,
    password: NewPassword,
    kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
    role: Type.Optional(StaffRole),
    customerId: Type.Optional(
      Type.String({ format: 'uuid', description: 'for a customer user: the customer they act for' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
    role: Type.Union([StaffRole, Type.Literal('customer')]),
    customerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);
export type User = Static<typeof UserSchema>;

export const UserListQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('customer')])),
    email: Type.Optional(Type.String({ maxLength: 320 })),
  },
  { additionalProperties: false },
);

export const SignInBody = Type.Object(
  {
    tenant: TenantSlug,
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const SignedInSchema = Type.Object(
  {
    user: UserSchema,
    expiresAt: Type.String({ format: 'date-time', description: 'when the session ends, at the latest' }),
  },
  { $id: 'SignedIn' },
);
export type SignedIn = Static<typeof SignedInSchema>;

export const PasswordResetRequestBody = Type.Object(
  { tenant: TenantSlug, email: Type.String({ minLength: 1, maxLength: 320 }) },
  { additionalProperties: false },
);
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

export const PasswordResetCompleteBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 100 }),
    newPassword: NewPassword,
  },
  { additionalProperties: false },
);
export type PasswordResetCompleteBody = Static<typeof PasswordResetCompleteBody>;
