import type { LanguageTemplates } from './built-in-template.js';

export const SPANISH_TEMPLATES: LanguageTemplates = {
  greeting: 'Hola, {{customerName}}:',
  closing: 'Atentamente,\n{{operatorName}}',
  events: {
    allowance_used: {
      subject: 'Ha consumido el {{percent}} de {{allowance}}',
      body: 'Su línea {{line}} ha consumido el {{percent}} de su bono {{allowance}} en este ciclo de facturación.\n\nEl consumo que supere el bono se cobra según su tarifa.',
      short: '{{operatorName}}: la línea {{line}} ha consumido el {{percent}} de {{allowance}}.',
    },
    cycle_spend: {
      subject: 'Su gasto de este ciclo ha alcanzado {{amount}}',
      body: 'Los cargos de su línea {{line}} en el ciclo de facturación actual han alcanzado {{amount}}.',
      short: '{{operatorName}}: el gasto de {{line}} en este ciclo ha alcanzado {{amount}}.',
    },
    balance_low: {
      subject: 'Su saldo es bajo: {{balance}}',
      body: 'El saldo de su línea {{line}} ha bajado a {{balance}}. Recargue para mantener su servicio.',
      short: '{{operatorName}}: su saldo es de {{balance}}. Recargue para mantener el servicio.',
    },
    credit_used: {
      subject: 'Ha usado el {{percent}} de su límite de crédito',
      body: 'Su cuenta {{accountNumber}} ha usado el {{percent}} de su límite de crédito de {{creditLimit}}.',
      short: '{{operatorName}}: ha usado el {{percent}} de su límite de crédito de {{creditLimit}}.',
    },
    roaming_first_use: {
      subject: 'Bienvenido a {{country}}',
      body: 'Su línea {{line}} está ahora en itinerancia en {{country}}. Allí se aplican tarifas de itinerancia a llamadas, mensajes y datos.',
      short: '{{operatorName}}: bienvenido a {{country}}. Se aplican tarifas de itinerancia a {{line}}.',
    },
    unusual_usage: {
      subject: 'Consumo inusual en su línea {{line}}',
      body: 'El consumo de su línea {{line}} es {{factor}} veces el habitual. Si no ha sido usted, contacte con nosotros.',
      short:
        '{{operatorName}}: el consumo de {{line}} es {{factor}} veces el habitual. ¿No ha sido usted? Contáctenos.',
    },
    spending_cap_reached: {
      subject: 'Ha alcanzado su límite de gasto de {{cap}}',
      body: 'Su línea {{line}} ha alcanzado su límite de gasto de {{cap}}. El consumo de pago queda bloqueado hasta el próximo periodo o hasta que aumente el límite.',
      short: '{{operatorName}}: {{line}} alcanzó su límite de {{cap}}. El consumo de pago está bloqueado.',
    },
    invoice_issued: {
      subject: 'Su factura {{number}} por {{total}}',
      body: 'Adjuntamos su factura {{number}} con fecha {{issuedOn}}. El importe de {{total}} vence el {{dueOn}}.',
      short: 'La factura {{number}} por {{total}} está disponible; vence el {{dueOn}}.',
    },
    payment_due: {
      subject: 'Recordatorio de pago: {{owed}} pendiente',
      body: 'Su cuenta {{accountNumber}} tiene {{owed}} pendiente, de los cuales {{overdue}} están vencidos (vencimiento el {{dueOn}}).\n\nLe rogamos que pague ahora para evitar la interrupción de su servicio. Si ya ha pagado, ignore este mensaje.',
      short:
        '{{operatorName}}: {{owed}} pendiente en la cuenta {{accountNumber}}. Pague para mantener su servicio.',
    },
    payment_succeeded: {
      subject: 'Pago recibido: {{amount}}',
      body: 'Gracias: hemos recibido su pago de {{amount}} para la cuenta {{accountNumber}}.',
      short: '{{operatorName}}: pago de {{amount}} recibido. Gracias.',
    },
    payment_failed: {
      subject: 'Su pago de {{amount}} no se ha podido realizar',
      body: 'No hemos podido cobrar {{amount}} de la cuenta {{accountNumber}}. Revise su medio de pago o pague de otra forma.',
      short: '{{operatorName}}: su pago de {{amount}} ha fallado. Revise su medio de pago.',
    },
    service_suspended: {
      subject: 'Servicio suspendido en su línea {{line}}',
      body: 'El servicio de su línea {{line}} se ha suspendido por facturas impagadas en la cuenta {{accountNumber}}. Las llamadas de emergencia siguen disponibles.\n\nEl servicio se restablecerá en cuanto se pague el importe pendiente.',
      short: '{{operatorName}}: la línea {{line}} está suspendida por impago. Pague para restablecerla.',
    },
    service_restored: {
      subject: 'Servicio restablecido en su línea {{line}}',
      body: 'El servicio de su línea {{line}} se ha restablecido. Gracias por su pago.',
      short: '{{operatorName}}: el servicio de la línea {{line}} se ha restablecido.',
    },
    password_reset: {
      subject: 'Restablezca su contraseña de {{operatorName}}',
      body: 'Hemos recibido una solicitud para restablecer la contraseña de su cuenta. Para elegir una contraseña nueva, abra este enlace:\n\n{{resetUrl}}\n\nEl enlace solo sirve una vez y caduca el {{expiresAt}}. Si no lo ha solicitado, ignore este mensaje: su contraseña no cambia.',
      // Never sent: a reset link goes by email only.
      short: '{{operatorName}}: se ha solicitado restablecer su contraseña. El enlace está en su correo.',
      action: { label: 'Elegir una contraseña nueva', url: '{{resetUrl}}' },
    },
  },
};
