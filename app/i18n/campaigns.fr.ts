// Campaign e-mails' public pages (unsubscribe): spread into the French catalogue (fr.ts).
export const campaignsFr = {
  'unsubscribe.title': 'Désabonnement',
  'unsubscribe.question': 'Ne plus recevoir les e-mails commerciaux de {company} à l’adresse {email} ?',
  'unsubscribe.confirm': 'Confirmer le désabonnement',
  'unsubscribe.done': 'C’est fait : {email} ne recevra plus d’e-mails commerciaux de {company}.',
  'unsubscribe.already': '{email} est déjà désabonné(e) des e-mails commerciaux de {company}.',
  'unsubscribe.invalid': 'Ce lien de désabonnement n’est pas valide. Utilisez le lien du dernier e-mail reçu.',
} as const
