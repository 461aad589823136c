import type { LanguageTemplates } from './built-in-template.js';

export const FRENCH_TEMPLATES: LanguageTemplates = {
  greeting: 'Bonjour {{customerName}},',
  closing: 'Cordialement,\n{{operatorName}}',
  events: {
    allowance_used: {
      subject: 'Vous avez utilisé {{percent}} de {{allowance}}',
      body: 'Votre ligne {{line}} a utilisé {{percent}} de son forfait {{allowance}} pour ce cycle de facturation.\n\nAu-delà, la consommation est facturée aux tarifs de votre offre.',
      short: '{{operatorName}} : la ligne {{line}} a utilisé {{percent}} de {{allowance}}.',
    },
    cycle_spend: {
      subject: 'Vos dépenses de ce cycle ont atteint {{amount}}',
      body: 'Les frais de votre ligne {{line}} pour le cycle de facturation en cours ont atteint {{amount}}.',
      short: '{{operatorName}} : les dépenses de {{line}} ce cycle ont atteint {{amount}}.',
    },
    balance_low: {
      subject: 'Votre solde est bas : {{balance}}',
      body: 'Le solde de votre ligne {{line}} n’est plus que de {{balance}}. Rechargez pour conserver votre service.',
      short: '{{operatorName}} : votre solde est de {{balance}}. Rechargez pour conserver le service.',
    },
    credit_used: {
      subject: 'Vous avez utilisé {{percent}} de votre limite de crédit',
      body: 'Votre compte {{accountNumber}} a utilisé {{percent}} de sa limite de crédit de {{creditLimit}}.',
      short: '{{operatorName}} : {{percent}} de votre limite de crédit de {{creditLimit}} est utilisé.',
    },
    roaming_first_use: {
      subject: 'Bienvenue en {{country}}',
      body: 'Votre ligne {{line}} est maintenant en itinérance en {{country}}. Les tarifs d’itinérance s’appliquent aux appels, messages et données.',
      short: '{{operatorName}} : bienvenue en {{country}}. Les tarifs d’itinérance s’appliquent à {{line}}.',
    },
    unusual_usage: {
      subject: 'Consommation inhabituelle sur votre ligne {{line}}',
      body: 'La consommation de votre ligne {{line}} atteint {{factor}} fois son niveau habituel. Si ce n’est pas vous, contactez-nous.',
      short:
        '{{operatorName}} : la consommation de {{line}} atteint {{factor}} fois l’habituel. Pas vous ? Contactez-nous.',
    },
    spending_cap_reached: {
      subject: 'Votre plafond de dépenses de {{cap}} est atteint',
      body: 'Votre ligne {{line}} a atteint son plafond de dépenses de {{cap}}. La consommation payante est bloquée jusqu’à la prochaine période ou jusqu’à ce que vous releviez le plafond.',
      short:
        '{{operatorName}} : {{line}} a atteint son plafond de {{cap}}. La consommation payante est bloquée.',
    },
    invoice_issued: {
      subject: 'Votre facture {{number}} de {{total}}',
      body: 'Veuillez trouver ci-joint votre facture {{number}} du {{issuedOn}}. Le montant de {{total}} est dû le {{dueOn}}.',
      short: 'La facture {{number}} de {{total}} est disponible, échéance le {{dueOn}}.',
    },
    payment_due: {
      subject: 'Rappel de paiement : {{owed}} à régler',
      body: 'Votre compte {{accountNumber}} présente {{owed}} à régler, dont {{overdue}} en retard (échéance le {{dueOn}}).\n\nMerci de régler dès maintenant pour éviter une interruption de votre service. Si vous avez déjà payé, veuillez ignorer ce message.',
      short:
        '{{operatorName}} : {{owed}} à régler sur le compte {{accountNumber}}. Payez pour conserver votre service.',
    },
    payment_succeeded: {
      subject: 'Paiement reçu : {{amount}}',
      body: 'Merci : nous avons bien reçu votre paiement de {{amount}} pour le compte {{accountNumber}}.',
      short: '{{operatorName}} : paiement de {{amount}} reçu. Merci.',
    },
    payment_failed: {
      subject: 'Votre paiement de {{amount}} a échoué',
      body: 'Nous n’avons pas pu encaisser {{amount}} pour le compte {{accountNumber}}. Vérifiez votre moyen de paiement ou payez autrement.',
      short: '{{operatorName}} : votre paiement de {{amount}} a échoué. Vérifiez votre moyen de paiement.',
    },
    service_suspended: {
      subject: 'Service suspendu sur votre ligne {{line}}',
      body: 'Le service de votre ligne {{line}} est suspendu pour factures impayées sur le compte {{accountNumber}}. Les appels d’urgence restent possibles.\n\nLe service sera rétabli dès le paiement du montant dû.',
      short: '{{operatorName}} : la ligne {{line}} est suspendue pour impayés. Payez pour la rétablir.',
    },
    service_restored: {
      subject: 'Service rétabli sur votre ligne {{line}}',
      body: 'Le service de votre ligne {{line}} est rétabli. Merci pour votre paiement.',
      short: '{{operatorName}} : le service de la ligne {{line}} est rétabli.',
    },
    password_reset: {
      subject: 'Réinitialisez votre mot de passe {{operatorName}}',
      body: 'Nous avons reçu une demande de réinitialisation du mot de passe de votre compte. Pour choisir un nouveau mot de passe, ouvrez ce lien :\n\n{{resetUrl}}\n\nLe lien ne sert qu’une fois et expire le {{expiresAt}}. Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.',
      // Never sent: a reset link goes by email only.
      short:
        '{{operatorName}} : une réinitialisation de mot de passe a été demandée. Le lien est dans votre e-mail.',
      action: { label: 'Choisir un nouveau mot de passe', url: '{{resetUrl}}' },
    },
  },
};
