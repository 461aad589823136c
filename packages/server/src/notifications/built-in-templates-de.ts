import type { LanguageTemplates } from './built-in-template.js';

export const GERMAN_TEMPLATES: LanguageTemplates = {
  greeting: 'Guten Tag {{customerName}},',
  closing: 'Mit freundlichen Grüßen\n{{operatorName}}',
  events: {
    allowance_used: {
      subject: 'Sie haben {{percent}} von {{allowance}} verbraucht',
      body: 'Ihr Anschluss {{line}} hat in diesem Abrechnungszeitraum {{percent}} seines Inklusivvolumens {{allowance}} verbraucht.\n\nDarüber hinaus wird die Nutzung zu Ihren Tarifpreisen berechnet.',
      short: '{{operatorName}}: Anschluss {{line}} hat {{percent}} von {{allowance}} verbraucht.',
    },
    cycle_spend: {
      subject: 'Ihre Kosten in diesem Zeitraum haben {{amount}} erreicht',
      body: 'Die Kosten Ihres Anschlusses {{line}} im laufenden Abrechnungszeitraum haben {{amount}} erreicht.',
      short: '{{operatorName}}: Kosten für {{line}} in diesem Zeitraum: {{amount}}.',
    },
    balance_low: {
      subject: 'Ihr Guthaben ist niedrig: {{balance}}',
      body: 'Das Guthaben Ihres Anschlusses {{line}} beträgt nur noch {{balance}}. Laden Sie auf, damit Ihr Dienst weiterläuft.',
      short: '{{operatorName}}: Ihr Guthaben beträgt {{balance}}. Bitte laden Sie auf.',
    },
    credit_used: {
      subject: 'Sie haben {{percent}} Ihres Kreditlimits genutzt',
      body: 'Ihr Konto {{accountNumber}} hat {{percent}} seines Kreditlimits von {{creditLimit}} genutzt.',
      short: '{{operatorName}}: {{percent}} Ihres Kreditlimits von {{creditLimit}} sind genutzt.',
    },
    roaming_first_use: {
      subject: 'Willkommen in {{country}}',
      body: 'Ihr Anschluss {{line}} ist jetzt in {{country}} eingebucht. Für Anrufe, Nachrichten und Daten gelten dort Roaming-Preise.',
      short: '{{operatorName}}: Willkommen in {{country}}. Für {{line}} gelten Roaming-Preise.',
    },
    unusual_usage: {
      subject: 'Ungewöhnliche Nutzung auf Ihrem Anschluss {{line}}',
      body: 'Die Nutzung Ihres Anschlusses {{line}} liegt beim {{factor}}-Fachen des Üblichen. Falls Sie das nicht waren, wenden Sie sich bitte an uns.',
      short:
        '{{operatorName}}: Nutzung auf {{line}} beim {{factor}}-Fachen des Üblichen. Nicht Sie? Melden Sie sich.',
    },
    spending_cap_reached: {
      subject: 'Ihre Kostengrenze von {{cap}} ist erreicht',
      body: 'Ihr Anschluss {{line}} hat seine Kostengrenze von {{cap}} erreicht. Kostenpflichtige Nutzung ist bis zum nächsten Zeitraum oder bis zur Erhöhung der Grenze gesperrt.',
      short:
        '{{operatorName}}: {{line}} hat die Kostengrenze von {{cap}} erreicht. Kostenpflichtige Nutzung ist gesperrt.',
    },
    invoice_issued: {
      subject: 'Ihre Rechnung {{number}} über {{total}}',
      body: 'Anbei erhalten Sie Ihre Rechnung {{number}} vom {{issuedOn}}. Der Betrag von {{total}} ist am {{dueOn}} fällig.',
      short: 'Rechnung {{number}} über {{total}} liegt vor, fällig am {{dueOn}}.',
    },
    payment_due: {
      subject: 'Zahlungserinnerung: {{owed}} offen',
      body: 'Auf Ihrem Konto {{accountNumber}} sind {{owed}} offen, davon {{overdue}} überfällig (fällig am {{dueOn}}).\n\nBitte zahlen Sie jetzt, um eine Unterbrechung Ihres Dienstes zu vermeiden. Falls Sie bereits gezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
      short:
        '{{operatorName}}: {{owed}} auf Konto {{accountNumber}} offen. Bitte zahlen Sie, um Ihren Dienst zu behalten.',
    },
    payment_succeeded: {
      subject: 'Zahlung erhalten: {{amount}}',
      body: 'Vielen Dank: Wir haben Ihre Zahlung von {{amount}} für das Konto {{accountNumber}} erhalten.',
      short: '{{operatorName}}: Zahlung von {{amount}} erhalten. Vielen Dank.',
    },
    payment_failed: {
      subject: 'Ihre Zahlung von {{amount}} ist fehlgeschlagen',
      body: 'Wir konnten {{amount}} für das Konto {{accountNumber}} nicht einziehen. Bitte prüfen Sie Ihre Zahlungsart oder zahlen Sie auf anderem Weg.',
      short:
        '{{operatorName}}: Ihre Zahlung von {{amount}} ist fehlgeschlagen. Bitte prüfen Sie Ihre Zahlungsart.',
    },
    service_suspended: {
      subject: 'Dienst auf Ihrem Anschluss {{line}} gesperrt',
      body: 'Der Dienst auf Ihrem Anschluss {{line}} wurde wegen offener Rechnungen auf dem Konto {{accountNumber}} gesperrt. Notrufe bleiben möglich.\n\nDer Dienst wird wieder freigeschaltet, sobald der offene Betrag bezahlt ist.',
      short:
        '{{operatorName}}: Anschluss {{line}} wegen offener Rechnungen gesperrt. Nach Zahlung wird er freigeschaltet.',
    },
    service_restored: {
      subject: 'Dienst auf Ihrem Anschluss {{line}} wieder aktiv',
      body: 'Der Dienst auf Ihrem Anschluss {{line}} ist wieder freigeschaltet. Vielen Dank für Ihre Zahlung.',
      short: '{{operatorName}}: Anschluss {{line}} ist wieder freigeschaltet.',
    },
    password_reset: {
      subject: 'Ihr Passwort bei {{operatorName}} zurücksetzen',
      body: 'Wir haben eine Anfrage erhalten, das Passwort Ihres Zugangs zurückzusetzen. Über diesen Link wählen Sie ein neues Passwort:\n\n{{resetUrl}}\n\nDer Link ist einmal verwendbar und gilt bis zum {{expiresAt}}. Falls Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.',
      // Never sent: a reset link goes by email only.
      short: '{{operatorName}}: Ein neues Passwort wurde angefordert. Den Link finden Sie in Ihrer E-Mail.',
      action: { label: 'Neues Passwort wählen', url: '{{resetUrl}}' },
    },
  },
};
