import type { LanguageTemplates } from './built-in-template.js';

/** English: the built-in wording, and what customers in languages without their own read. */
export const ENGLISH_TEMPLATES: LanguageTemplates = {
  greeting: 'Hello {{customerName}},',
  closing: 'Kind regards,\n{{operatorName}}',
  events: {
    allowance_used: {
      subject: 'You have used {{percent}} of {{allowance}}',
      body: 'Your line {{line}} has used {{percent}} of its allowance {{allowance}} for this bill cycle.\n\nUsage beyond the allowance is charged at your tariff rates.',
      short: '{{operatorName}}: line {{line}} has used {{percent}} of {{allowance}}.',
    },
    cycle_spend: {
      subject: 'Your spending this cycle has reached {{amount}}',
      body: 'The charges of your line {{line}} in the current bill cycle have reached {{amount}}.',
      short: '{{operatorName}}: spending on {{line}} this cycle has reached {{amount}}.',
    },
    balance_low: {
      subject: 'Your balance is low: {{balance}}',
      body: 'The balance of your line {{line}} is down to {{balance}}. Top up to keep your service running.',
      short: '{{operatorName}}: your balance is {{balance}}. Top up to keep your service.',
    },
    credit_used: {
      subject: 'You have used {{percent}} of your credit limit',
      body: 'Your account {{accountNumber}} has used {{percent}} of its credit limit of {{creditLimit}}.',
      short: '{{operatorName}}: {{percent}} of your credit limit of {{creditLimit}} is used.',
    },
    roaming_first_use: {
      subject: 'Welcome to {{country}}',
      body: 'Your line {{line}} is now roaming in {{country}}. Roaming rates apply to calls, messages and data there.',
      short: '{{operatorName}}: welcome to {{country}}. Roaming rates apply to line {{line}}.',
    },
    unusual_usage: {
      subject: 'Unusual usage on your line {{line}}',
      body: 'Usage on your line {{line}} is {{factor}} times its usual level. If this was not you, please contact us.',
      short: '{{operatorName}}: usage on {{line}} is {{factor}}x its usual level. Not you? Contact us.',
    },
    spending_cap_reached: {
      subject: 'Your spending cap of {{cap}} is reached',
      body: 'Your line {{line}} has reached its spending cap of {{cap}}. Chargeable usage is blocked until the next period or until you raise the cap.',
      short: '{{operatorName}}: line {{line}} reached its cap of {{cap}}. Chargeable usage is blocked.',
    },
    invoice_issued: {
      subject: 'Your invoice {{number}} of {{total}}',
      body: 'Your invoice {{number}} dated {{issuedOn}} is attached. The amount of {{total}} is due on {{dueOn}}.',
      short: 'Invoice {{number}} of {{total}} is ready, due on {{dueOn}}.',
    },
    payment_due: {
      subject: 'Payment reminder: {{owed}} due',
      body: 'Our records show {{owed}} owed on your account {{accountNumber}}, of which {{overdue}} is overdue (due on {{dueOn}}).\n\nPlease pay now to avoid any interruption of your service. If you have paid already, please disregard this message.',
      short:
        '{{operatorName}}: {{owed}} is due on account {{accountNumber}}. Please pay to keep your service.',
    },
    payment_succeeded: {
      subject: 'Payment received: {{amount}}',
      body: 'Thank you: we have received your payment of {{amount}} for account {{accountNumber}}.',
      short: '{{operatorName}}: payment of {{amount}} received. Thank you.',
    },
    payment_failed: {
      subject: 'Your payment of {{amount}} failed',
      body: 'We could not collect {{amount}} for account {{accountNumber}}. Please check your payment method or pay another way.',
      short: '{{operatorName}}: your payment of {{amount}} failed. Please check your payment method.',
    },
    service_suspended: {
      subject: 'Service suspended on your line {{line}}',
      body: 'Service on your line {{line}} has been suspended because of unpaid bills on account {{accountNumber}}. Emergency calls remain possible.\n\nService returns as soon as the amount owed is paid.',
      short: '{{operatorName}}: line {{line}} is suspended for unpaid bills. Pay to restore it.',
    },
    service_restored: {
      subject: 'Service restored on your line {{line}}',
      body: 'Service on your line {{line}} is restored. Thank you for your payment.',
      short: '{{operatorName}}: service on line {{line}} is restored.',
    },
    password_reset: {
      subject: 'Reset your {{operatorName}} password',
      body: 'We received a request to reset the password of your account. To choose a new password, open this link:\n\n{{resetUrl}}\n\nThe link works once and expires on {{expiresAt}}. If you did not ask for this, ignore this message: your password stays as it is.',
      // Never sent: a reset link goes by email only.
      short: '{{operatorName}}: a password reset was asked for. The link is in your email.',
      action: { label: 'Choose a new password', url: '{{resetUrl}}' },
    },
  },
};
