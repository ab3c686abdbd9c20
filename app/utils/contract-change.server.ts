import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { isLive } from '../../domain/contracts/contract'
import { forbidden, notFound, requireUser, requireUserForm, type Auth } from './auth.server'
import { findVisibleContract } from './contracts.server'
import { commandIdOf, domainFailure, formValues } from './forms.server'

// What the amendment and termination pages share: a running contract the user may
// change (else 404 / 403), a fresh command id for the form, and an action that runs one
// command with the form's version and command id, answers a refusal on the form and
// redirects to the contract page on success.

type Visible = NonNullable<Awaited<ReturnType<typeof findVisibleContract>>>

async function liveContract(auth: Auth, id: string): Promise<Visible> {
  const c = await findVisibleContract(auth, id)
  if (!c) throw notFound()
  if (!c.canWrite || !isLive(c)) throw forbidden()
  return c
}

/** The loader's part: the user, the contract, a command id. */
export async function loadContractChange({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const contract = await liveContract(auth, params.id ?? '')
  return { auth, contract, commandId: randomUUID() }
}

export type ChangeInput = {
  auth: Auth & { form: FormData }
  contract: Visible
  form: FormData
  values: Record<string, string>
  /** The command's context (this form's command id) and the version the form was read at. */
  ctx: ReturnType<Auth['ctx']>
  expectedVersion: number
}

/**
 * The action's part. `run` validates what only the route knows and runs the command; it
 * returns a Response (a refusal on the form) to stop, or nothing to go to `done`.
 */
export async function contractChangeAction(
  { request, context, params }: ActionFunctionArgs,
  run: (x: ChangeInput) => Promise<Response | ReturnType<typeof domainFailure> | void>,
  done: (contractId: string) => string,
) {
  const auth = await requireUserForm(request, context)
  const contract = await liveContract(auth, params.id ?? '')
  const { form } = auth
  const values = formValues(form)
  try {
    const refused = await run({ auth, contract, form, values, ctx: auth.ctx(commandIdOf(form)), expectedVersion: Number(form.get('version')) })
    if (refused) return refused
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(done(contract.id))
}
