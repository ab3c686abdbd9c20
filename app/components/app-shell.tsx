import { Form, Link, NavLink } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import { AuthenticityTokenInput } from './authenticity-token-input'
import { GlobalSearch } from './global-search'
import { NotificationBell } from './notification-bell'
import { ColumnsIcon, UploadIcon } from './pipeline-board-icons'
import { TaskIcon } from './task-icons'
import { BriefcaseIcon, BuildingIcon, HomeIcon, UserIcon, UsersIcon } from './ui/icons'

export type ShellUser = { fullName: string; role: 'admin' | 'manager' | 'commercial' | 'finance'; workspaceName: string; unreadNotifications?: number }

const NAV = [
  { to: '/', key: 'nav.dashboard', Icon: HomeIcon, end: true },
  { to: '/organisations', key: 'nav.organisations', Icon: BuildingIcon, end: false },
  { to: '/contacts', key: 'nav.contacts', Icon: UsersIcon, end: false },
  { to: '/deals', key: 'nav.deals', Icon: BriefcaseIcon, end: false },
  { to: '/pipeline', key: 'nav.pipeline', Icon: ColumnsIcon, end: false },
  { to: '/tasks', key: 'nav.tasks', Icon: TaskIcon, end: false },
  // Imports: admins and managers only, and not in the phone tab bar.
  { to: '/import', key: 'nav.import', Icon: UploadIcon, end: false, roles: ['admin', 'manager'], phone: false },
] as const

const navFor = (role: ShellUser['role'], phone = false) =>
  NAV.filter((n) => (!('roles' in n) || (n.roles as readonly string[]).includes(role)) && !(phone && 'phone' in n && n.phone === false))

/**
 * The signed-in frame: top bar with the app name, navigation and the user menu; on
 * phones the navigation moves to a bottom tab bar. The user menu is a <details>, so it
 * opens without JavaScript.
 */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const t = useT()
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-800 focus:shadow">
        {t('app.skip')}
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
          <Link to="/" className="flex shrink-0 items-center gap-2 whitespace-nowrap rounded text-lg font-bold text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-700 text-sm text-white">A</span>
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="hidden md:block">
            <ul className="flex gap-1">
              {navFor(user.role).map(({ to, key, end }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    end={end}
                    className={({ isActive }) =>
                      `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                        isActive ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
                      }`
                    }
                  >
                    {t(key)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <GlobalSearch />
          <NotificationBell count={user.unreadNotifications ?? 0} />
          <details className="group relative min-w-0 lg:shrink-0">
            <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
              <UserIcon className="h-5 w-5 text-slate-600" />
              <span className="max-w-[7rem] truncate sm:max-w-[12rem]">{user.fullName}</span>
              <span className="sr-only">— {t('nav.userMenu')}</span>
            </summary>
            <div className="absolute right-0 mt-2 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
              <p className="text-sm font-medium text-slate-900">{user.fullName}</p>
              <p className="text-xs text-slate-600">{t(`role.${user.role}`)} · {user.workspaceName}</p>
              <ul className="mt-3 space-y-1 border-t border-slate-100 pt-3 text-sm">
                <li><Link to="/settings/notifications" className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{t('notif.preferences')}</Link></li>
                {user.role === 'admin' ? <li><Link to="/admin/mailbox" className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{t('nav.mailbox')}</Link></li> : null}
              </ul>
              <Form method="post" action="/logout" className="mt-3 border-t border-slate-100 pt-3">
                <AuthenticityTokenInput />
                <button type="submit" className="w-full rounded-md px-3 py-2 text-left text-sm font-medium text-red-800 hover:bg-red-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
                  {t('nav.logout')}
                </button>
              </Form>
            </div>
          </details>
        </div>
      </header>

      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 pb-24 pt-6 md:pb-10">
        {children}
      </main>

      <nav aria-label={t('nav.main')} className="fixed inset-x-0 bottom-0 z-30 border-t border-slate-200 bg-white md:hidden">
        <ul className="flex">
          {navFor(user.role, true).map(({ to, key, end, Icon }) => (
            <li key={to} className="min-w-0 flex-1">
              <NavLink
                to={to}
                end={end}
                className={({ isActive }) =>
                  `flex flex-col items-center gap-0.5 py-2 text-[11px] font-medium focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 ${
                    isActive ? 'text-indigo-800' : 'text-slate-600'
                  }`
                }
              >
                <Icon className="h-6 w-6" />
                {/* Six tabs share 375 px: a long label is cut, never spilled onto its neighbour. */}
                <span className="max-w-full truncate px-0.5">{t(key)}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  )
}
