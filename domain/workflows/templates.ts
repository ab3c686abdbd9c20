import { definitionSchema, type WorkflowDefinition } from './workflow.definition.js'

// Ready-to-enable workflows of the issue, in French. "Utiliser ce modèle" copies the
// definition into a new workflow's draft; nothing here refers to a workspace's own ids
// (recipients are roles: the record owner, the managers of the owner's team, the contact).

export type WorkflowTemplate = {
  key: string
  name: string
  description: string
  definition: WorkflowDefinition
}

const def = (d: unknown): WorkflowDefinition => definitionSchema.parse(d)

export const WORKFLOW_TEMPLATES: WorkflowTemplate[] = [
  {
    key: 'relance-automatique',
    name: 'Relance automatique',
    description:
      'Une affaire en Proposition sans activité depuis 30 jours : e-mail au commercial, tâche « Relancer … », et le manager est prévenu si le montant dépasse 50 000 €.',
    definition: def({
      trigger: { kind: 'inactivity', entity: 'deal', days: 30, stage: 'PROPOSITION' },
      conditions: null,
      start: 'email_commercial',
      steps: [
        {
          id: 'email_commercial',
          type: 'send_email',
          label: 'E-mail au commercial',
          to: { kind: 'owner' },
          subject: 'Affaire sans activité : {{affaire.titre}}',
          body: 'Bonjour {{proprietaire.prenom}},\n\nL’affaire « {{affaire.titre}} » avec {{organisation.nom}} est en Proposition sans activité depuis {{declencheur.jours_inactivite}} jours.\n\nUne relance s’impose : {{affaire.lien}}',
          next: 'tache_relance',
        },
        {
          id: 'tache_relance',
          type: 'create_task',
          label: 'Tâche de relance',
          title: 'Relancer {{organisation.nom}}',
          description: 'Proposition « {{affaire.titre}} » ({{affaire.montant}} €) sans nouvelles depuis {{declencheur.jours_inactivite}} jours.',
          assignee: { kind: 'owner' },
          dueInDays: 2,
          priority: 'high',
          next: 'gros_montant',
        },
        {
          id: 'gros_montant',
          type: 'branch',
          label: 'Montant > 50 000 € ?',
          condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '50000' }] },
          then: 'alerte_manager',
          else: null,
        },
        {
          id: 'alerte_manager',
          type: 'notify',
          label: 'Prévenir le manager',
          to: { kind: 'manager' },
          title: 'Grosse affaire sans activité : {{affaire.titre}}',
          body: '{{organisation.nom}} — {{affaire.montant}} € — aucune activité depuis {{declencheur.jours_inactivite}} jours.',
          next: null,
        },
      ],
    }),
  },
  {
    key: 'onboarding-nouveau-client',
    name: 'Onboarding nouveau client',
    description:
      'Une affaire passe en Signé : e-mail de bienvenue au contact, cinq tâches d’onboarding, l’équipe est prévenue et l’organisation reçoit l’étiquette « Nouveau client <année> ».',
    definition: def({
      trigger: { kind: 'deal.stage_changed', from: null, to: 'SIGNE' },
      conditions: null,
      start: 'bienvenue',
      steps: [
        {
          id: 'bienvenue',
          type: 'send_email',
          label: 'E-mail de bienvenue',
          to: { kind: 'contact' },
          subject: 'Bienvenue chez nous, {{organisation.nom}} !',
          body: 'Bonjour {{contact.civilite}} {{contact.nom}},\n\nMerci de votre confiance. {{proprietaire.prenom}} {{proprietaire.nom}} reste votre interlocuteur et vous contactera très vite pour le démarrage.\n\nÀ très bientôt.',
          next: 'tache_kickoff',
        },
        {
          id: 'tache_kickoff',
          type: 'create_task',
          label: 'Réunion de lancement',
          title: 'Planifier la réunion de lancement avec {{organisation.nom}}',
          assignee: { kind: 'owner' },
          dueInDays: 2,
          priority: 'high',
          next: 'tache_acces',
        },
        {
          id: 'tache_acces',
          type: 'create_task',
          label: 'Accès',
          title: 'Créer les accès de {{organisation.nom}}',
          assignee: { kind: 'owner' },
          dueInDays: 3,
          next: 'tache_facturation',
        },
        {
          id: 'tache_facturation',
          type: 'create_task',
          label: 'Facturation',
          title: 'Vérifier les informations de facturation de {{organisation.nom}}',
          assignee: { kind: 'owner' },
          dueInDays: 5,
          next: 'tache_formation',
        },
        {
          id: 'tache_formation',
          type: 'create_task',
          label: 'Formation',
          title: 'Organiser la formation de {{organisation.nom}}',
          assignee: { kind: 'owner' },
          dueInDays: 10,
          next: 'tache_point',
        },
        {
          id: 'tache_point',
          type: 'create_task',
          label: 'Point à 30 jours',
          title: 'Point de satisfaction à 30 jours avec {{organisation.nom}}',
          assignee: { kind: 'owner' },
          dueInDays: 30,
          next: 'prevenir_equipe',
        },
        {
          id: 'prevenir_equipe',
          type: 'notify',
          label: 'Prévenir l’équipe (support)',
          to: { kind: 'manager' },
          title: 'Nouveau client : {{organisation.nom}}',
          body: '« {{affaire.titre}} » signée ({{affaire.montant}} €). Onboarding lancé.',
          next: 'etiquette',
        },
        { id: 'etiquette', type: 'add_tag', label: 'Étiquette', tag: 'Nouveau client {{année}}', next: null },
      ],
    }),
  },
  {
    key: 'lead-nurturing',
    name: 'Lead nurturing',
    description:
      'Une organisation créée en prospect : tâche pour son responsable d’y ajouter le contact, puis e-mail de bienvenue à ce contact le lendemain, cas d’usage à J+3, invitation à une démo à J+7, tâche d’appel à J+14. Sans contact à ce moment-là, l’exécution échoue et son responsable est prévenu.',
    definition: def({
      trigger: { kind: 'organisation.created' },
      conditions: { combinator: 'and', rules: [{ field: 'organisation.statut', op: 'eq', value: 'prospect' }] },
      start: 'j0_contact',
      steps: [
        // A new organisation has no contact yet: the first step asks for one, the e-mails wait a day.
        {
          id: 'j0_contact',
          type: 'create_task',
          label: 'J0 : ajouter le contact',
          title: 'Ajouter le contact principal de {{organisation.nom}}',
          description: 'Les e-mails de bienvenue partent demain vers le premier contact de l’organisation.',
          assignee: { kind: 'owner' },
          dueInDays: 0,
          next: 'attente_j1',
        },
        { id: 'attente_j1', type: 'delay', label: 'Attendre 1 jour', mode: 'duration', amount: 1, unit: 'days', next: 'j1_bienvenue' },
        {
          id: 'j1_bienvenue',
          type: 'send_email',
          label: 'J+1 : bienvenue',
          to: { kind: 'contact' },
          subject: 'Ravis de faire votre connaissance, {{contact.prenom}}',
          body: 'Bonjour {{contact.prenom}},\n\nMerci de l’intérêt que {{organisation.nom}} nous porte. Vous trouverez dans les prochains jours quelques exemples concrets de ce que nous faisons.\n\n{{proprietaire.prenom}} {{proprietaire.nom}}',
          next: 'attente_j3',
        },
        { id: 'attente_j3', type: 'delay', label: 'Attendre 2 jours', mode: 'duration', amount: 2, unit: 'days', next: 'j3_cas_usage' },
        {
          id: 'j3_cas_usage',
          type: 'send_email',
          label: 'J+3 : cas d’usage',
          to: { kind: 'contact' },
          subject: 'Comment des entreprises comme {{organisation.nom}} gagnent du temps',
          body: 'Bonjour {{contact.prenom}},\n\nVoici comment des équipes de votre secteur ont simplifié leur suivi commercial.\n\n{{proprietaire.prenom}} {{proprietaire.nom}}',
          next: 'attente_j7',
        },
        { id: 'attente_j7', type: 'delay', label: 'Attendre 4 jours', mode: 'duration', amount: 4, unit: 'days', next: 'j7_demo' },
        {
          id: 'j7_demo',
          type: 'send_email',
          label: 'J+7 : invitation à une démo',
          to: { kind: 'contact' },
          subject: 'Une démonstration de 30 minutes, {{contact.prenom}} ?',
          body: 'Bonjour {{contact.prenom}},\n\nJe vous propose une démonstration personnalisée pour {{organisation.nom}}. Répondez simplement à ce message avec vos disponibilités.\n\n{{proprietaire.prenom}} {{proprietaire.nom}}',
          next: 'attente_j14',
        },
        { id: 'attente_j14', type: 'delay', label: 'Attendre 7 jours', mode: 'duration', amount: 7, unit: 'days', next: 'j14_appel' },
        {
          id: 'j14_appel',
          type: 'create_task',
          label: 'J+14 : tâche d’appel',
          title: 'Appeler {{contact.prenom}} {{contact.nom}} ({{organisation.nom}})',
          assignee: { kind: 'owner' },
          dueInDays: 0,
          next: null,
        },
      ],
    }),
  },
]

export const findTemplate = (key: string) => WORKFLOW_TEMPLATES.find((t) => t.key === key) ?? null
