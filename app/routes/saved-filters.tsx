import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Button } from '~/components/ui/button'
import { TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { loadStages } from '../../domain/crm/crm.repository'
import { notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { z } from 'zod'
import { field, parseForm } from '~/utils/form-schema.server'
import { isUuid } from '~/utils/forms.server'
import { hasControlCharacters } from '../../domain/shared/user-text'
import { parseDealList, parseOrganisationList } from '~/utils/list-params.server'

// Saved filters: a user's named query strings for the organisation and deal lists. A
// personal preference, not business data: written directly (no command, no event),
// always scoped to the session's workspace and user — someone else's filter is a 404.

export const meta: MetaFunction = () => [{ title: 'Filtres enregistrés — Alforis CRM' }]

const MAX_PER_LIST = 50
const ENTITIES = ['organisations', 'deals'] as const
type Entity = (typeof ENTITIES)[number]

type Failure = { ok: false; errors: Record<string, string>; entity: Entity; query: string; name: string }

const NAME_MAX = 80

/** The two posts this route takes: a save from a list's "Enregistrer ce filtre", a delete from its menu. */
const savedFilterSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('delete'), id: z.string().refine(isUuid), back: field.optionalText() }),
  z.object({
    intent: z.literal('save'),
    entity: z.enum(ENTITIES),
    query: field.text(),
    // Checked after cleaning, in one step: Conform would read the '' of a blank name as absent inside a pipe.
    name: z
      .string()
      .default('')
      .transform((v) => v.trim().replace(/\s+/g, ' '))
      .superRefine((v, ctx) => {
        const message = !v
          ? 'saved.nameRequired'
          : v.length > NAME_MAX
            ? 'saved.nameTooLong'
            : hasControlCharacters(v, false)
              ? 'text.control_characters'
              : null
        if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message })
      }),
  }),
])

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context)
  // Saving and deleting happen from the lists; this page only shows a refused save.
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const parsed = parseForm(form, savedFilterSchema, auth)
  if (!parsed.ok) {
    // Only a save's name is the user's to correct; any other bad value is a page that does not exist.
    const entity = ENTITIES.find((e) => e === form.get('entity'))
    const onlyName = Object.keys(parsed.fieldErrors).every((k) => k === 'name')
    if (form.get('intent') !== 'save' || !entity || !onlyName) throw notFound()
    const query = await canonicalQuery(auth, entity, String(form.get('query') ?? ''))
    return data<Failure>({ ok: false, errors: parsed.fieldErrors, entity, query, name: String(form.get('name') ?? '') }, { status: 400 })
  }
  const post = parsed.value

  if (post.intent === 'delete') {
    const id = post.id
    const r = await auth.tenant.db
      .deleteFrom('saved_filters')
      .where('id', '=', id)
      .where('workspace_id', '=', auth.user.workspaceId)
      .where('user_id', '=', auth.user.id)
      .executeTakeFirst()
    if (Number(r.numDeletedRows) === 0) throw notFound()
    return redirect(safeRedirectTo(post.back, '/deals'))
  }

  const { entity, name } = post
  const query = await canonicalQuery(auth, entity, post.query)
  const fail = (message: string) => data<Failure>({ ok: false, errors: { name: message }, entity, query, name }, { status: 400 })

  const saved = await auth.tenant.db.transaction().execute(async (trx) => {
    // One user's saves are serialised, so the cap holds under double submits.
    await sql`select pg_advisory_xact_lock(hashtext(${`saved_filters:${auth.user.id}`}))`.execute(trx)
    const existing = await trx
      .selectFrom('saved_filters')
      .select(['name'])
      .where('workspace_id', '=', auth.user.workspaceId)
      .where('user_id', '=', auth.user.id)
      .where('entity', '=', entity)
      .execute()
    if (existing.length >= MAX_PER_LIST && !existing.some((e) => e.name === name)) return false
    await trx
      .insertInto('saved_filters')
      .values({ id: randomUUID(), workspace_id: auth.user.workspaceId, user_id: auth.user.id, entity, name, query })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'entity', 'name']).doUpdateSet({ query, created_at: new Date() }))
      .execute()
    return true
  })
  if (!saved) return fail(auth.t('saved.tooMany', { count: MAX_PER_LIST }))
  return redirect(query ? `/${entity}?${query}` : `/${entity}`)
}

/** A list's query string as the list itself reads it: only valid filters, canonical order, no page cursor. */
async function canonicalQuery(auth: Awaited<ReturnType<typeof requireUserForm>>, entity: Entity, raw: string): Promise<string> {
  const url = new URL(`http://x/?${raw}`)
  return entity === 'organisations' ? parseOrganisationList(url).query : parseDealList(url, await loadStages(auth.tenant.db, auth.user.workspaceId)).query
}

/** Shown only without JavaScript, when a save was refused: the form again, with the reason. */
export default function SavedFilterPage() {
  const failed = useActionData<typeof action>()
  const t = useT()
  if (!failed) {
    return (
      <>
        <PageHeader title={t('saved.title')} />
        <p className="text-sm">
          <Link to="/deals" className="font-medium text-indigo-800 hover:underline">
            {t('saved.back')}
          </Link>
        </p>
      </>
    )
  }
  const back = failed.query ? `/${failed.entity}?${failed.query}` : `/${failed.entity}`
  return (
    <>
      <PageHeader title={t('saved.pageTitle')} />
      <Card>
        <Form method="post" action="/saved-filters" className="flex flex-col gap-4 sm:max-w-md">
          <AuthenticityTokenInput />
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="entity" value={failed.entity} />
          <input type="hidden" name="query" value={failed.query} />
          <TextField name="name" label={t('saved.name')} defaultValue={failed.name} error={failed.errors.name} required maxLength={80} />
          <div className="flex flex-wrap items-center gap-3">
            <Button>{t('saved.save')}</Button>
            <Link to={back} className="text-sm font-medium text-indigo-800 hover:underline">
              {t('saved.back')}
            </Link>
          </div>
        </Form>
      </Card>
    </>
  )
}
