// The phone shell and the offline working set (issue 15): spread into fr.ts.
export const offlineFr = {
  'nav.tab.home': 'Accueil',
  'nav.tab.accounts': 'Comptes',
  'nav.tab.more': 'Plus',
  'offline.upToDate': 'À jour à {time}',
  'offline.notSynced': 'Pas encore disponible hors ligne',
  'offline.pending': '{count} en attente',
  'offline.pendingTitle': 'Modifications en attente d’envoi',
  'offline.sync.gone': 'Cette fiche n’existe plus ou ne vous est plus accessible.',
  'offline.logoutConfirm': '{count} modification(s) non envoyée(s) seront perdues si vous vous déconnectez maintenant, hors ligne. Se déconnecter quand même ?',
  'list.filtersToggle': 'Filtres',
} as const
