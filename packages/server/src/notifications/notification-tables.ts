import type { Generated } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/database-schema.js';

/** The notification tables (see db/migrations/0009-notifications.ts). */
export interface NotificationTables {
  notification_rules: NotificationRuleTable;
  notification_firings: NotificationFiringTable;
  notification_templates: NotificationTemplateTable;
  notification_preferences: NotificationPreferenceTable;
  notifications: NotificationTable;
}

/**
 * What a customer (or a portal user) is told of. Threshold events come from notification rules;
 * password_reset from the password reset request; the others follow the billing, payment and
 * dunning events of the webhook outbox.
 */
export type NotificationEvent =
  | 'allowance_used'
  | 'cycle_spend'
  | 'balance_low'
  | 'credit_used'
  | 'roaming_first_use'
  | 'unusual_usage'
  | 'spending_cap_reached'
  | 'invoice_issued'
  | 'payment_due'
  | 'payment_succeeded'
  | 'payment_failed'
  | 'service_suspended'
  | 'service_restored'
  | 'password_reset';

export type NotificationChannel = 'email' | 'sms' | 'portal';
export type NotificationRuleKind =
  | 'allowance_used'
  | 'cycle_spend'
  | 'balance_below'
  | 'credit_used'
  | 'roaming_first_use'
  | 'unusual_usage';

export interface NotificationRuleTable {
  id: Generated<string>;
  tenant_id: string;
  scope: 'tenant' | 'plan' | 'account' | 'subscription';
  scope_id: string | null;
  kind: NotificationRuleKind;
  /** Decimal texts: percentages, micro-unit amounts or a factor, by kind. */
  levels: Json<string[]>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NotificationFiringTable {
  id: Generated<bigint>;
  tenant_id: string;
  account_id: string;
  subscription_id: string | null;
  kind: string;
  subject: Generated<string>;
  level: string;
  cycle_key: string;
  observed: Json<Record<string, unknown>>;
  fired_at: Date;
}

export interface NotificationTemplateTable {
  id: Generated<string>;
  tenant_id: string;
  event: string;
  channel: NotificationChannel;
  language: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  updated_at: UpdatedAt;
}

export interface NotificationPreferenceTable {
  tenant_id: string;
  customer_id: string;
  event: string;
  channel: NotificationChannel | 'webhook';
  enabled: boolean;
  updated_at: UpdatedAt;
}

export interface NotificationTable {
  id: Generated<string>;
  tenant_id: string;
  /** Null for a message to a staff user (migrations/0011-notifications-to-users.ts). */
  customer_id: string | null;
  /** The portal user a message was addressed to (a password reset); null for customer messages. */
  user_id: string | null;
  account_id: string | null;
  subscription_id: string | null;
  event: string;
  channel: NotificationChannel;
  language: string;
  recipient: string | null;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  attachments: Json<{ readonly kind: 'invoice_pdf'; readonly invoiceId: string }[]>;
  urgent: Generated<boolean>;
  status: 'queued' | 'sent' | 'failed' | 'suppressed' | 'read';
  reason: string | null;
  attempts: Generated<number>;
  send_after: Date;
  last_error: string | null;
  sent_at: Date | null;
  read_at: Date | null;
  source_key: string;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}
