// What the demo sells and to whom, and the knobs that make its figures look like a
// real French B2B team's: win rates that differ by product, source and season.

type Weighted<T> = readonly (readonly [T, number])[]

export const SECTORS: Weighted<string> = [
  ['Industrie', 16],
  ['BTP', 12],
  ['Conseil', 10],
  ['Santé', 8],
  ['Commerce', 14],
  ['Transport', 8],
  ['Agroalimentaire', 9],
  ['Numérique', 13],
  ['Énergie', 4],
  ['Immobilier', 4],
  ['Tourisme', 2],
]

/** Trade words that go into company names, per sector ("Transports Girard"). */
export const SECTOR_WORDS: Record<string, readonly string[]> = {
  Industrie: ['Mécanique', 'Usinage', 'Métallurgie', 'Plasturgie', 'Chaudronnerie', 'Industries', 'Découpe', 'Fonderie'],
  BTP: ['Bâtiment', 'Construction', 'Travaux Publics', 'Charpente', 'Maçonnerie', 'Rénovation', 'Génie Civil'],
  Conseil: ['Conseil', 'Stratégie', 'Partners', 'Expertise', 'Audit', 'Associés', 'Consulting'],
  Santé: ['Santé', 'Médical', 'Pharma', 'Clinique', 'Laboratoires', 'Biotech', 'Dentaire'],
  Commerce: ['Distribution', 'Négoce', 'Commerce', 'Boutiques', 'Équipements', 'Fournitures'],
  Transport: ['Transports', 'Logistique', 'Fret', 'Messagerie', 'Affrètement'],
  Agroalimentaire: ['Fromagerie', 'Conserverie', 'Biscuiterie', 'Salaisons', 'Vignobles', 'Minoterie', 'Brasserie'],
  Numérique: ['Digital', 'Informatique', 'Logiciels', 'Systèmes', 'Cloud', 'Data', 'Web'],
  Énergie: ['Énergies', 'Solaire', 'Thermique', 'Éolien', 'Environnement'],
  Immobilier: ['Immobilier', 'Patrimoine', 'Gestion', 'Habitat', 'Foncière'],
  Tourisme: ['Voyages', 'Hôtellerie', 'Loisirs', 'Campings', 'Tourisme'],
}

/** Business parks are where industry, building and transport firms sit. */
export const SECTORS_IN_PARKS = new Set(['Industrie', 'BTP', 'Transport', 'Agroalimentaire', 'Énergie'])

export type Size = 'TPE' | 'PME' | 'ETI' | 'GE'
export const SIZES: Weighted<Size> = [
  ['TPE', 35],
  ['PME', 45],
  ['ETI', 15],
  ['GE', 5],
]

export const LEGAL_FORMS: Record<Size, Weighted<string>> = {
  TPE: [
    ['SARL', 35],
    ['EURL', 25],
    ['SASU', 25],
    ['SAS', 15],
  ],
  PME: [
    ['SAS', 50],
    ['SARL', 35],
    ['SA', 8],
    ['SCOP', 4],
    ['SNC', 3],
  ],
  ETI: [
    ['SAS', 60],
    ['SA', 40],
  ],
  GE: [
    ['SA', 65],
    ['SAS', 35],
  ],
}

/** How many deals a company of that size brings, relative to a PME. */
export const SIZE_DEAL_WEIGHT: Record<Size, number> = { TPE: 0.5, PME: 1, ETI: 2.2, GE: 3.5 }
export const SIZE_AMOUNT_FACTOR: Record<Size, number> = { TPE: 0.35, PME: 1, ETI: 2.3, GE: 4.2 }
export const SIZE_WIN_FACTOR: Record<Size, number> = { TPE: 1.1, PME: 1, ETI: 0.9, GE: 0.75 }

export type Category = 'Licences' | 'Services' | 'Formation' | 'Maintenance' | 'Matériel'
export const CATEGORIES: Weighted<Category> = [
  ['Licences', 30],
  ['Services', 25],
  ['Maintenance', 18],
  ['Formation', 12],
  ['Matériel', 15],
]

/** Median deal amount in euros for a PME, before the log-normal spread. */
export const CATEGORY_MEDIAN_EUROS: Record<Category, number> = {
  Licences: 14_000,
  Services: 22_000,
  Formation: 5_500,
  Maintenance: 8_000,
  Matériel: 26_000,
}
/** Renewals (maintenance) are easy to win; hardware is a price fight. */
export const CATEGORY_WIN_FACTOR: Record<Category, number> = {
  Licences: 1,
  Services: 0.9,
  Formation: 1.1,
  Maintenance: 1.35,
  Matériel: 0.8,
}

export const DEAL_TITLES: Record<Category, readonly string[]> = {
  Licences: ['Licences ERP', 'Abonnement CRM', 'Licences logiciel de paie', 'Suite collaborative', 'Licences GMAO', 'Abonnement BI'],
  Services: ['Intégration SI', 'Audit et conseil', 'Migration des données', 'Développement spécifique', 'Déploiement', 'Assistance à maîtrise d’ouvrage'],
  Formation: ['Formation utilisateurs', 'Formation administrateurs', 'Accompagnement au changement', 'Formation certifiante'],
  Maintenance: ['Contrat de maintenance', 'Support premium', 'Renouvellement maintenance', 'Infogérance'],
  Matériel: ['Postes de travail', 'Serveurs', 'Équipement réseau', 'Terminaux mobiles', 'Imprimantes et bornes'],
}

export const SOURCES: Weighted<string> = [
  ['Site web', 20],
  ['Salon professionnel', 12],
  ['Recommandation', 14],
  ['Prospection téléphonique', 16],
  ['Partenaire', 10],
  ['LinkedIn', 12],
  ['Campagne e-mail', 9],
  ['Appel entrant', 7],
]
export const SOURCE_WIN_FACTOR: Record<string, number> = {
  'Site web': 1,
  'Salon professionnel': 0.95,
  Recommandation: 1.35,
  'Prospection téléphonique': 0.7,
  Partenaire: 1.15,
  LinkedIn: 0.9,
  'Campagne e-mail': 0.85,
  'Appel entrant': 1.2,
}

/** Win factor by closing month (Jan…Dec): year-end budgets sign, August does not. */
export const SEASON_WIN_FACTOR: readonly number[] = [0.85, 0.9, 1.05, 0.95, 0.95, 1.1, 0.9, 0.65, 1, 1, 1.05, 1.3]
/** New deals per month (Jan…Dec), relative: quiet August and late December. */
export const SEASON_VOLUME: readonly number[] = [0.9, 1, 1.1, 1, 0.95, 1.05, 0.8, 0.45, 1.15, 1.15, 1.05, 0.7]

export const LOST_REASONS_EARLY: Weighted<string> = [
  ['Pas de besoin identifié', 30],
  ['Budget insuffisant', 25],
  ['Pas de réponse du prospect', 30],
  ['Mauvais interlocuteur', 15],
]
export const LOST_REASONS_LATE: Weighted<string> = [
  ['Prix trop élevé', 30],
  ['Concurrent retenu', 30],
  ['Projet reporté', 15],
  ['Budget gelé', 10],
  ['Fonctionnalités insuffisantes', 8],
  ['Délais de livraison trop longs', 4],
  ['Projet réalisé en interne', 3],
]

/** Who a sales team talks to in a client company. */
export const JOB_TITLES: Weighted<string> = [
  ['Directeur général', 8],
  ['Directrice générale', 5],
  ['Gérant', 8],
  ['Directeur administratif et financier', 7],
  ['Directrice administrative et financière', 5],
  ['Responsable des achats', 10],
  ['Acheteuse', 6],
  ['Directeur des systèmes d’information', 7],
  ['Responsable informatique', 8],
  ['Directrice des opérations', 5],
  ['Responsable de production', 5],
  ['Office manager', 4],
  ['Responsable RH', 4],
  ['Contrôleur de gestion', 3],
  ['Chef de projet', 5],
]

export const CONSENT_SOURCES: Weighted<string> = [
  ['Formulaire du site web', 35],
  ['Salon professionnel', 20],
  ['Échange commercial', 30],
  ['Webinaire', 15],
]

/** Activity subjects by kind, from the first call to the last follow-up. */
export const ACTIVITY_SUBJECTS: Record<'call' | 'meeting' | 'email' | 'note', readonly string[]> = {
  call: ['Appel de découverte', 'Point téléphonique', 'Relance téléphonique', 'Qualification du besoin', 'Appel de suivi', 'Point budget'],
  meeting: ['Rendez-vous de présentation', 'Démonstration', 'Atelier de cadrage', 'Rendez-vous de négociation', 'Visite sur site', 'Revue de la proposition'],
  email: [
    'Envoi de la documentation',
    'Envoi de la proposition',
    'Relance par e-mail',
    'Compte rendu du rendez-vous',
    'Envoi des références clients',
    'Questions techniques',
  ],
  note: ['Note interne', 'Contexte du compte', 'Concurrent en lice', 'Décideurs identifiés', 'Budget confirmé', 'Calendrier du projet'],
}

export const ACTIVITY_BODIES: readonly string[] = [
  'Interlocuteur intéressé, attend un chiffrage.',
  'Budget validé pour le prochain trimestre.',
  'Décision attendue en comité de direction.',
  'Demande une remise sur le volume.',
  'Comparaison en cours avec un concurrent.',
  'Besoin confirmé, à rappeler la semaine prochaine.',
  'Points techniques à lever avec la DSI.',
  'Très satisfait de la démonstration.',
]
