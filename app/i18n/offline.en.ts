import type { offlineFr } from './offline.fr'

export const offlineEn: Record<keyof typeof offlineFr, string> = {
  'nav.tab.home': 'Home',
  'nav.tab.accounts': 'Accounts',
  'nav.tab.more': 'More',
  'offline.upToDate': 'Up to date at {time}',
  'offline.notSynced': 'Not yet available offline',
  'offline.pending': '{count} pending',
  'offline.pendingTitle': 'Changes waiting to be sent',
  'offline.sync.gone': 'This record no longer exists or is no longer available to you.',
  'offline.logoutConfirm': '{count} unsent change(s) will be lost if you sign out now, offline. Sign out anyway?',
  'list.filtersToggle': 'Filters',
}
