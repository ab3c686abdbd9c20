// In-app notifications: notify (idempotent, preference-aware, live over NOTIFY),
// preferences per kind and channel, tellUser (in-app + e-mail by preference).
export {
  CONFIGURABLE_KINDS,
  isNotificationKind,
  NOTIFICATION_KINDS,
  NOTIFICATIONS_CHANNEL,
  type Channel,
  type NotificationKind,
  type NotificationSignal,
  type Preferences,
} from './kinds.js'
export { isAppPath, listNotifications, markRead, notify, unreadCount, type NotifyInput, type NotifyResult } from './notify.js'
export { preferencesFor, setPreferences, wants } from './preferences.js'
export { tellUser, type TellUserInput } from './tell-user.js'
export { notificationListener, type NotificationListener } from './notification-listener.js'
