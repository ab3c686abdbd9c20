import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import type { ComponentType, FormEvent, ReactNode } from 'react'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { canAdminister, canImport, canManageProducts, canManageWorkflows } from '../../domain/identity/roles'
import { canKeepAccounts, canSeeFinance } from '../../domain/accounting/permissions'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { GlobalSearch } from './global-search'
import { ChevronDownIcon, MoreIcon, QuoteIcon } from './nav-icons'
import { NotificationBell } from './notification-bell'
import { ColumnsIcon, UploadIcon } from './pipeline-board-icons'
import { TaskIcon } from './task-icons'
import { BriefcaseIcon, BuildingIcon, HomeIcon, UserIcon, UsersIcon } from './ui/icons'
import { useDisclosure } from './use-disclosure'
import { clearBeforeLogout } from '~/offline/logout'
import { rememberPendingLogout } from '~/offline/pending-logout'
import { PendingChanges } from '~/offline/pending-changes'
import { SyncStatus } from '~/offline/sync-status'
import { TouchGestures } from '~/offline/gestures'
import { canManageCampaigns } from '../../domain/campaigns/campaign-access'

export type ShellUser = {
  fullName: string
  role: 'admin' | 'manager' | 'commercial' | 'finance'
  teamId: string | null
  workspaceName: string
  unreadNotifications?: number
}
// `can`: the rule the page itself applies (domain/identity/roles), so a link is shown only when its page opens.
type Entry = { to: string; key: MessageKey; Icon?: ComponentType<{ className?: string }>; end?: boolean; can?: (user: ShellUser) => boolean }

// The daily entries, in the top bar.
const MAIN: readonly Entry[] = [
  { to: '/', key: 'nav.dashboard', Icon: HomeIcon, end: true },
  { to: '/organisations', key: 'nav.organisations', Icon: BuildingIcon },
  { to: '/contacts', key: 'nav.contacts', Icon: UsersIcon },
  { to: '/deals', key: 'nav.deals', Icon: BriefcaseIcon },
  { to: '/pipeline', key: 'nav.pipeline', Icon: ColumnsIcon },
  { to: '/tasks', key: 'nav.tasks', Icon: TaskIcon },
  { to: '/quotes', key: 'nav.quotes', Icon: QuoteIcon },
]
// The phone tab bar: four daily places with short words that 320 px show whole
// (64 px a tab), then "Plus" for the rest of MAIN and MORE.
const PHONE_TABS: readonly Entry[] = [
  { to: '/', key: 'nav.tab.home', Icon: HomeIcon, end: true },
  { to: '/organisations', key: 'nav.tab.accounts', Icon: BuildingIcon },
  { to: '/deals', key: 'nav.deals', Icon: BriefcaseIcon },
  { to: '/tasks', key: 'nav.tasks', Icon: TaskIcon },
]
const inPhoneTabs = (e: Entry) => PHONE_TABS.some((tab) => tab.to === e.to)
// Less frequent: under "Plus" in the top bar, in the account menu on phones.
const MORE: readonly Entry[] = [
  { to: '/invoices', key: 'nav.invoices', Icon: QuoteIcon },
  { to: '/finance', key: 'nav.finance', Icon: QuoteIcon, can: canSeeFinance },
  { to: '/contracts', key: 'nav.contracts', Icon: QuoteIcon },
  { to: '/reports', key: 'nav.reports', Icon: ColumnsIcon },
  { to: '/campaigns', key: 'nav.campaigns', Icon: QuoteIcon, can: canManageCampaigns },
  { to: '/import', key: 'nav.import', Icon: UploadIcon, can: canImport },
]
// Settings and administration, in the account menu.
const ACCOUNT: readonly Entry[] = [
  { to: '/workflows', key: 'nav.workflows', can: canManageWorkflows },
  { to: '/products', key: 'nav.products', can: canManageProducts },
  { to: '/settings/company', key: 'nav.company', can: canAdminister },
  { to: '/settings/pipelines', key: 'pipelines.title', can: canAdminister },
  { to: '/admin/mailbox', key: 'nav.mailbox', can: canAdminister },
  { to: '/accounting/fec', key: 'nav.fec', can: canKeepAccounts },
  { to: '/settings/accounting', key: 'nav.accounting', can: canKeepAccounts },
  { to: '/settings/notifications', key: 'notif.preferences' },
  { to: '/settings/push', key: 'push.title' },
  { to: '/settings/webhooks', key: 'webhooks.nav', can: canAdminister },
]

const phoneTab =
  'flex min-h-[3.5rem] flex-col items-center justify-center gap-0.5 py-2 text-xs font-medium focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600'

const allowed = (user: ShellUser) => (e: Entry) => !e.can || e.can(user)
const focusRing = 'focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600'
const menuLink = `block rounded-md px-3 py-2 text-sm text-slate-800 hover:bg-slate-100 ${focusRing}`
const topItem = (active: boolean) =>
  `flex h-10 items-center gap-1 whitespace-nowrap rounded-md px-2.5 text-sm font-medium ${focusRing} ${
    active ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
  }`

/**
 * The signed-in frame: top bar with the app name, navigation, search, notifications and
 * the account menu; on phones the navigation moves to a bottom tab bar. From 768 px to
 * 1279 px the entries are icons (their names for screen readers and as tooltips), from
 * 1280 px words. "Plus" and the account menu are <details>: they open without JavaScript.
 */
/**
 * Signing out with JavaScript: first send the offline queue and wipe the device copy
 * (IndexedDB, data caches), asking before losing unsent changes; then the real POST.
 */
function logoutClearingDevice(event: FormEvent<HTMLFormElement>) {
  event.preventDefault()
  const form = event.currentTarget
  const message = form.dataset.confirm ?? ''
  void clearBeforeLogout((count) => window.confirm(message.replace('{count}', String(count)))).then((go) => {
    if (!go) return
    if (navigator.onLine) form.submit()
    else {
      // The server session ends when the network is back (app/offline/pending-logout.ts).
      rememberPendingLogout(String(new FormData(form).get('csrf') ?? ''))
      window.location.assign('/offline') // nothing of this person's is left to show
    }
  })
}

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const t = useT()
  const { pathname } = useLocation()
  const main = MAIN.filter(allowed(user))
  const more = MORE.filter(allowed(user))
  const account = ACCOUNT.filter(allowed(user))
  const moreActive = more.some((e) => pathname === e.to || pathname.startsWith(`${e.to}/`))
  const moreRef = useDisclosure()
  const phoneMoreRef = useDisclosure()
  const phoneMore = [...main.filter((e) => !inPhoneTabs(e)), ...more]
  const phoneMoreActive = phoneMore.some((e) => pathname === e.to || pathname.startsWith(`${e.to}/`))
  const accountRef = useDisclosure()
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-800 focus:shadow"
      >
        {t('app.skip')}
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        {/* Wider than the page body: at 1280–1440 px the words need the whole width. */}
        <div className="mx-auto flex h-14 max-w-screen-2xl items-center gap-3 px-4 lg:gap-4">
          <Link to="/" className={`flex shrink-0 items-center gap-2 whitespace-nowrap rounded text-lg font-bold text-indigo-800 ${focusRing}`}>
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-700 text-sm text-white">
              A
            </span>
            <span className="md:max-lg:sr-only">{t('app.name')}</span>
          </Link>
          <nav aria-label={t('nav.main')} className="hidden md:block">
            <ul className="flex items-center gap-0.5 xl:gap-1">
              {main.map(({ to, key, end, Icon }) => (
                <li key={to}>
                  <NavLink to={to} end={end} title={t(key)} className={({ isActive }) => topItem(isActive)}>
                    {Icon ? <Icon className="h-5 w-5 xl:hidden" /> : null}
                    <span className="sr-only xl:not-sr-only">{t(key)}</span>
                  </NavLink>
                </li>
              ))}
              {more.length ? (
                <li>
                  <details ref={moreRef} className="relative">
                    <summary title={t('nav.more')} className={`cursor-pointer list-none [&::-webkit-details-marker]:hidden ${topItem(moreActive)}`}>
                      <MoreIcon className="h-5 w-5 xl:hidden" />
                      <span className="sr-only xl:not-sr-only">{t('nav.more')}</span>
                      <ChevronDownIcon className="hidden h-4 w-4 xl:block" />
                    </summary>
                    <ul className="absolute right-0 z-40 mt-2 w-56 space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg xl:left-0 xl:right-auto">
                      {more.map(({ to, key, Icon }) => (
                        <li key={to}>
                          <NavLink
                            to={to}
                            className={({ isActive }) => `flex items-center gap-2 ${menuLink} ${isActive ? 'bg-indigo-50 text-indigo-800' : ''}`}
                          >
                            {Icon ? <Icon className="h-5 w-5 text-slate-600" /> : null}
                            {t(key)}
                          </NavLink>
                        </li>
                      ))}
                    </ul>
                  </details>
                </li>
              ) : null}
            </ul>
          </nav>
          <GlobalSearch />
          <NotificationBell count={user.unreadNotifications ?? 0} />
          <details ref={accountRef} className="group relative shrink-0">
            <summary
              className={`flex h-10 cursor-pointer list-none items-center gap-1.5 rounded-md px-2 text-sm text-slate-800 hover:bg-slate-100 ${focusRing} [&::-webkit-details-marker]:hidden`}
            >
              <UserIcon className="h-5 w-5 text-slate-600" />
              {/* The name only where it fits beside the words of the navigation; always in the menu. */}
              <span className="hidden max-w-[10rem] truncate min-[1400px]:inline">{user.fullName}</span>
              <span className="sr-only">{t('nav.userMenu')}</span>
              <ChevronDownIcon className="hidden h-4 w-4 text-slate-500 md:block" />
            </summary>
            <div className="absolute right-0 z-40 mt-2 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
              <p className="text-sm font-medium text-slate-900">{user.fullName}</p>
              <p className="text-xs text-slate-600">
                {t(`role.${user.role}`)} · {user.workspaceName}
              </p>
              <ul className="mt-3 space-y-1 border-t border-slate-100 pt-3">
                {account.map(({ to, key }) => (
                  <li key={to}>
                    <Link to={to} className={menuLink}>
                      {t(key)}
                    </Link>
                  </li>
                ))}
              </ul>
              <Form
                method="post"
                action="/logout"
                className="mt-3 border-t border-slate-100 pt-3"
                onSubmit={logoutClearingDevice}
                data-confirm={t('offline.logoutConfirm', { count: '{count}' })}
              >
                <AuthenticityTokenInput />
                <button type="submit" className={`w-full rounded-md px-3 py-2 text-left text-sm font-medium text-red-800 hover:bg-red-50 ${focusRing}`}>
                  {t('nav.logout')}
                </button>
              </Form>
            </div>
          </details>
        </div>
      </header>

      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 pb-24 pt-2 md:pb-10">
        <SyncStatus />
        <TouchGestures />
        <div className="pt-2">
          <PendingChanges />
          {children}
        </div>
      </main>

      <nav aria-label={t('nav.main')} className="fixed inset-x-0 bottom-0 z-30 border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] md:hidden">
        <ul className="flex">
          {PHONE_TABS.map(({ to, key, end, Icon }) => (
            <li key={to} className="min-w-0 flex-1">
              <NavLink to={to} end={end} className={({ isActive }) => `${phoneTab} ${isActive ? 'text-indigo-800' : 'text-slate-600'}`}>
                {Icon ? <Icon className="h-6 w-6" /> : null}
                <span className="whitespace-nowrap">{t(key)}</span>
              </NavLink>
            </li>
          ))}
          <li className="min-w-0 flex-1">
            <details ref={phoneMoreRef} className="group">
              <summary
                className={`${phoneTab} cursor-pointer list-none [&::-webkit-details-marker]:hidden ${phoneMoreActive ? 'text-indigo-800' : 'text-slate-600'}`}
              >
                <MoreIcon className="h-6 w-6" />
                <span className="whitespace-nowrap">{t('nav.tab.more')}</span>
              </summary>
              <ul
                aria-label={t('nav.tab.more')}
                className="absolute bottom-full right-2 mb-2 w-56 max-w-[calc(100vw-1rem)] space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg"
              >
                {phoneMore.map(({ to, key, Icon }) => (
                  <li key={to}>
                    <NavLink
                      to={to}
                      className={({ isActive }) => `flex min-h-[48px] items-center gap-2 ${menuLink} ${isActive ? 'bg-indigo-50 text-indigo-800' : ''}`}
                    >
                      {Icon ? <Icon className="h-5 w-5 text-slate-600" /> : null}
                      {t(key)}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        </ul>
      </nav>
    </div>
  )
}
