import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { RecordMergePage } from '~/components/record-merge'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import type { FormFailure } from '~/utils/forms.server'
import { mergeAction, mergeLoader } from '~/utils/record-merge.server'

// Merging a duplicate organisation into this one (issue 13); the logic is shared with the
// other record kind in utils/record-merge.server.ts.

export const meta: MetaFunction = () => [{ title: 'Fusionner — Alforis CRM' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  return { page: await mergeLoader(auth, request, 'organisation', params.id ?? ''), commandId: randomUUID() }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  return mergeAction(auth, context.runtime.db, 'organisation', params.id ?? '')
}

export default function OrganisationMergeRoute() {
  const { page, commandId } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  return <RecordMergePage page={page} failed={failed} commandId={commandId} />
}
