import { createHmac, timingSafeEqual } from 'node:crypto'

// Signed links of a campaign e-mail: the open pixel, the click redirect and the
// unsubscribe link. Each carries the send's id and an HMAC-SHA256 (the workspace's
// link secret, campaign_settings) over what it does: a click link signs its target URL
// too, so nobody can turn /c/… into an open redirect or point it elsewhere; the
// unsubscribe link cannot be forged for another address. Tags truncated to 128 bits:
// ample against forgery, shorter URLs.

export type LinkKind = 'open' | 'click' | 'unsubscribe'

const mac = (secret: string, kind: LinkKind, sendId: string, url = '') =>
  createHmac('sha256', secret).update(`${kind}\n${sendId}\n${url}`).digest().subarray(0, 16).toString('base64url')

/** The tag of a link. @example signLink(secret, 'click', sendId, 'https://exemple.fr/offre') */
export function signLink(secret: string, kind: LinkKind, sendId: string, url?: string): string {
  return mac(secret, kind, sendId, url)
}

/** Constant-time check of a link's tag. */
export function verifyLink(secret: string, kind: LinkKind, sendId: string, tag: string, url?: string): boolean {
  const expected = Buffer.from(mac(secret, kind, sendId, url))
  const given = Buffer.from(tag)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Only http(s) targets are ever signed into a click link. */
export function isTrackableUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

export type CampaignLinks = { open: string; click: (url: string) => string; unsubscribe: string }

/** The absolute links of one send. @example campaignLinks('https://crm.exemple.fr', secret, sendId).unsubscribe */
export function campaignLinks(appUrl: string, secret: string, sendId: string): CampaignLinks {
  return {
    open: `${appUrl}/t/o/${sendId}/${signLink(secret, 'open', sendId)}`,
    click: (url) => `${appUrl}/t/c/${sendId}/${signLink(secret, 'click', sendId, url)}?u=${encodeURIComponent(url)}`,
    unsubscribe: `${appUrl}/desabonnement/${sendId}/${signLink(secret, 'unsubscribe', sendId)}`,
  }
}
