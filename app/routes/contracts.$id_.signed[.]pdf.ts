import type { LoaderFunctionArgs } from '@remix-run/node'
import { fileStore } from '../../domain/files/file-storage'
import { notFound, requireUser } from '~/utils/auth.server'
import { findVisibleContract } from '~/utils/contracts.server'

/** GET /contracts/:id/signed.pdf — the signed contract as uploaded, for whoever may see the contract. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const contract = await findVisibleContract(auth, params.id ?? '')
  if (!contract?.signed_file_sha256) throw notFound()
  const file = await fileStore(context.runtime.db).open(auth.user.workspaceId, contract.signed_file_sha256)
  if (!file) throw notFound()
  const name = (contract.signed_file_name ?? 'contrat.pdf').replace(/"/g, '')
  return new Response(file.stream, {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
