import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Answers a refused request with its French reason: a small page for browsers, plain
 * text for other clients. The connection is closed afterwards when a body may still be
 * on its way, so an unread upload is not drained to keep the socket alive.
 */
export function refuse(req: ExpressRequest, res: ExpressResponse, status: number, reason: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  res.status(status)
  res.setHeader('Cache-Control', 'no-store')
  if (hasBody) res.setHeader('Connection', 'close')
  if (/text\/html/.test(req.get('Accept') ?? '')) {
    res
      .type('html')
      .send(
        `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Requête refusée — Alforis CRM</title></head>` +
          `<body><main id="main"><h1>Requête refusée</h1><p>${escapeHtml(reason)}</p><p><a href="/">Retour à l’accueil</a></p></main></body></html>`,
      )
  } else {
    res.type('text/plain; charset=utf-8').send(reason)
  }
}
