import {
  applyEdgeChanges,
  applyNodeChanges,
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { Form } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Button } from '~/components/ui/button'
import { useT } from '~/i18n/use-t'
import { STEP_TYPES, type Step, type StepType, type WorkflowDefinition } from '../../../domain/workflows/workflow.definition'
import { addStep, canConnect, connect, parentOf, removeStep, setStart, type Position as InsertAt } from '../../../domain/workflows/workflow.edit'
import { editConditions, parseBrackets, readStep } from '~/utils/workflows-form'
import type { EditorChoices, Errors } from './editor-types'
import { StepFields } from './step-fields'
import { stepName } from './step-tree'

// The visual editor (JavaScript only, loaded lazily): the trigger and the steps as nodes,
// next / alors / sinon as edges. It edits the same definition as the form, with the same
// pure edits (domain/workflows/workflow.edit.ts) and the same step fields in its side
// panel, and saves through the page's action (intent=save, draft_json). Keyboard: nodes
// are focusable (Enter selects, Delete removes); the panel's "Ajouter après" and
// "Relier à" menus do what dragging does.

type Slot = 'next' | 'then' | 'else'
type StepNodeData = { title: string; subtitle: string; kind: StepType | 'trigger'; hasError: boolean; branch: boolean; index: number }
type FlowNode = Node<StepNodeData, 'step'>

const TRIGGER = '__trigger'
const COL = 250
const ROW = 120

/** Positions for steps without one: the tree top-down, each leaf its own column. */
export function autoLayout(def: WorkflowDefinition): Record<string, { x: number; y: number }> {
  const byId = new Map(def.steps.map((s) => [s.id, s]))
  const out: Record<string, { x: number; y: number }> = {}
  let column = 0
  const place = (id: string | null, depth: number): number => {
    const s = id ? byId.get(id) : undefined
    if (!s || out[s.id]) return column
    const kids = (s.type === 'branch' ? [s.then, s.else] : [s.next]).filter((k): k is string => !!k && byId.has(k))
    if (!kids.length) {
      out[s.id] = { x: column * COL, y: depth * ROW }
      column++
      return out[s.id].x
    }
    const xs = kids.map((k) => place(k, depth + 1))
    out[s.id] = { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: depth * ROW }
    return out[s.id].x
  }
  place(def.start, 1)
  for (const s of def.steps) if (!out[s.id]) place(s.id, 1)
  return out
}

function StepNode({ data, selected }: NodeProps<FlowNode>) {
  const t = useT()
  return (
    <div
      className={`w-52 rounded-lg border-2 bg-white px-3 py-2 text-left shadow-sm ${data.hasError ? 'border-red-500' : selected ? 'border-indigo-600' : data.kind === 'trigger' ? 'border-emerald-600' : 'border-slate-300'}`}
    >
      {data.kind !== 'trigger' ? <Handle type="target" position={Position.Top} /> : null}
      <div className="text-xs font-medium text-slate-600">{data.subtitle}</div>
      {/* Wrapped on up to three lines, never cut to a few letters. */}
      <div className="line-clamp-3 break-words text-sm font-semibold leading-snug text-slate-900" title={data.title}>
        {data.title}
      </div>
      {data.branch ? (
        <>
          <Handle type="source" id="then" position={Position.Bottom} style={{ left: '25%' }} />
          <Handle type="source" id="else" position={Position.Bottom} style={{ left: '75%' }} />
          <div className="mt-1 flex justify-between text-xs font-medium text-slate-700">
            <span>{t('wf.visual.then')}</span>
            <span>{t('wf.visual.else')}</span>
          </div>
        </>
      ) : (
        <Handle type="source" id="next" position={Position.Bottom} />
      )}
    </div>
  )
}
const nodeTypes = { step: StepNode }

const small =
  'rounded-md px-2.5 py-1.5 text-xs font-semibold ring-1 ring-inset ring-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50'
const control = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-600'

export default function VisualEditor({
  draft,
  choices,
  errors,
  name,
  description,
  version,
}: {
  draft: WorkflowDefinition
  choices: EditorChoices
  errors: Errors
  name: string
  description: string
  version: number
}) {
  const t = useT()
  const [def, setDef] = useState<WorkflowDefinition>(draft)
  const [dirty, setDirty] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [panelRev, setPanelRev] = useState(0)
  const update = useCallback((next: WorkflowDefinition) => {
    setDef((cur) => {
      if (next === cur) return cur
      setDirty(true)
      return next
    })
  }, [])

  const slotLabel = (slot: Slot) => t(slot === 'next' ? 'wf.visual.next' : slot === 'then' ? 'wf.visual.then' : 'wf.visual.else')
  const built = useMemo(() => {
    const auto = autoLayout(def)
    const pos = (id: string) => def.layout[id] ?? auto[id] ?? { x: 0, y: ROW }
    const startPos = def.start ? pos(def.start) : { x: 0, y: ROW }
    const nodes: FlowNode[] = [
      {
        id: TRIGGER,
        type: 'step',
        position: def.layout[TRIGGER] ?? { x: startPos.x, y: 0 },
        deletable: false,
        ariaLabel: `${t('wf.visual.trigger')} : ${t(`wf.trigger.${def.trigger.kind}` as 'wf.trigger.webhook')}`,
        data: {
          title: t(`wf.trigger.${def.trigger.kind}` as 'wf.trigger.webhook'),
          subtitle: t('wf.visual.trigger'),
          kind: 'trigger',
          hasError: Object.keys(errors).some((k) => k.startsWith('trigger')),
          branch: false,
          index: 0,
        },
      },
      ...def.steps.map((s, i): FlowNode => ({
        id: s.id,
        type: 'step',
        position: pos(s.id),
        ariaLabel: `${t('wf.step.number', { n: i + 1 })} — ${t(`wf.type.${s.type}`)}${s.label ? ` : ${s.label}` : ''}`,
        data: {
          title: stepName(s, t),
          subtitle: `${t('wf.step.number', { n: i + 1 })} · ${t(`wf.type.${s.type}`)}`,
          kind: s.type,
          hasError: Object.keys(errors).some((k) => k === `steps.${s.id}` || k.startsWith(`steps.${s.id}.`)),
          branch: s.type === 'branch',
          index: i + 1,
        },
      })),
    ]
    const edges: Edge[] = []
    if (def.start)
      edges.push({ id: `${TRIGGER}>start`, source: TRIGGER, sourceHandle: 'next', target: def.start, ariaLabel: `${t('wf.visual.start')} → ${def.start}` })
    for (const s of def.steps) {
      const out: Array<[Slot, string | null]> =
        s.type === 'branch'
          ? [
              ['then', s.then],
              ['else', s.else],
            ]
          : [['next', s.next]]
      for (const [slot, target] of out) {
        if (!target) continue
        edges.push({
          id: `${s.id}>${slot}`,
          source: s.id,
          sourceHandle: slot,
          target,
          label: slot === 'next' ? undefined : slotLabel(slot),
          ariaLabel: `${stepName(s, t)} — ${slotLabel(slot)} → ${target}`,
        })
      }
    }
    return { nodes, edges }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [def, errors])

  // React Flow measures nodes and tracks selection on its own node objects: keep those, refresh the rest.
  const [nodes, setNodes] = useState<FlowNode[]>(built.nodes)
  const [edges, setEdges] = useState<Edge[]>(built.edges)
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]))
      return built.nodes.map((n) => ({ ...n, measured: old.get(n.id)?.measured, selected: n.id === selected }))
    })
    setEdges((prev) => {
      const old = new Map(prev.map((e) => [e.id, e]))
      return built.edges.map((e) => ({ ...e, selected: old.get(e.id)?.selected }))
    })
  }, [built, selected])

  // A step added or removed: refit so the new node is in view.
  const flow = useRef<ReactFlowInstance<FlowNode, Edge> | null>(null)
  const count = def.steps.length
  useEffect(() => {
    const timer = setTimeout(() => flow.current?.fitView({ padding: 0.2, maxZoom: 1 }), 60)
    return () => clearTimeout(timer)
  }, [count])

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    // Removals go through onDelete (one edit for the node and its edges).
    const kept = changes.filter((c) => c.type !== 'remove')
    setNodes((nds) => applyNodeChanges(kept, nds))
    for (const c of kept) {
      if (c.type === 'select') setSelected((cur) => (c.selected ? c.id : cur === c.id ? null : cur))
      if (c.type === 'position' && c.position && c.dragging === false) {
        setDef((d) => ({ ...d, layout: { ...d.layout, [c.id]: { x: Math.round(c.position!.x), y: Math.round(c.position!.y) } } }))
        setDirty(true)
      }
      if (c.type === 'position' && c.position && c.dragging) {
        const p = c.position
        setDef((d) => ({ ...d, layout: { ...d.layout, [c.id]: { x: Math.round(p.x), y: Math.round(p.y) } } }))
      }
    }
  }, [])
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) =>
      setEdges((eds) =>
        applyEdgeChanges(
          changes.filter((c) => c.type !== 'remove'),
          eds,
        ),
      ),
    [],
  )

  const onDelete = useCallback(
    ({ nodes: ns, edges: es }: { nodes: Node[]; edges: Edge[] }) => {
      setDef((d) => {
        let out = d
        const gone = new Set(ns.map((n) => n.id))
        for (const n of ns) if (n.id !== TRIGGER) out = removeStep(out, n.id)
        for (const e of es) {
          if (gone.has(e.source) || gone.has(e.target)) continue
          out = e.source === TRIGGER ? setStart({ ...out, start: null }, null) : connect(out, e.source, (e.sourceHandle ?? 'next') as Slot, null)
        }
        if (out !== d) setDirty(true)
        return out
      })
      if (ns.some((n) => n.id === selected)) setSelected(null)
    },
    [selected],
  )

  const valid = useCallback(
    (c: Connection | Edge) => {
      if (c.source === TRIGGER) return def.start === null && !!c.target && parentOf(def, c.target) === null
      return canConnect(def, c.source, (c.sourceHandle ?? 'next') as Slot, c.target)
    },
    [def],
  )
  const onConnect = useCallback(
    (c: Connection) => {
      if (!valid(c)) {
        setNotice(t('wf.visual.refused'))
        return
      }
      setNotice(null)
      update(c.source === TRIGGER ? setStart(def, c.target) : connect(def, c.source, (c.sourceHandle ?? 'next') as Slot, c.target))
    },
    [def, valid, update, t],
  )

  const add = (type: StepType, at: InsertAt) => {
    const r = addStep(def, type, at)
    if (!r.id) return
    update(r.def)
    setSelected(r.id)
    setPanelRev((n) => n + 1)
  }
  const current = def.steps.find((s) => s.id === selected) ?? null

  // Palette: after the selected step (into "alors" for a condition), else at the start.
  const [paletteType, setPaletteType] = useState<StepType>('send_email')
  const paletteAt = (): InsertAt =>
    current ? (current.type === 'branch' ? { at: 'then', stepId: current.id } : { at: 'after', stepId: current.id }) : { at: 'start' }

  const draftJson = JSON.stringify(def)
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-2" role="group" aria-label={t('wf.visual.palette')}>
        <div>
          <label htmlFor="palette-type" className="block text-xs font-medium text-slate-700">
            {t('wf.visual.palette')}
          </label>
          <select id="palette-type" value={paletteType} onChange={(e) => setPaletteType(e.target.value as StepType)} className={control}>
            {STEP_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`wf.type.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className={small} onClick={() => add(paletteType, paletteAt())}>
          + {current ? t('wf.add.after', { name: stepName(current, t) }) : t('wf.add.atStart')}
        </button>
        <button
          type="button"
          className={small}
          onClick={() => {
            update({ ...def, layout: {} })
          }}
        >
          {t('wf.visual.layout')}
        </button>
        <p className="text-xs text-slate-600">{t('wf.visual.keyboardHint')}</p>
      </div>
      {notice ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {notice}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div
          className="h-[28rem] rounded-md border border-slate-200 bg-slate-50"
          data-testid="workflow-canvas"
          aria-label={t('wf.visual.canvas')}
          role="region"
        >
          <ReactFlow<FlowNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onDelete={onDelete}
            onConnect={onConnect}
            onInit={(i) => {
              flow.current = i
            }}
            isValidConnection={valid}
            deleteKeyCode={['Delete', 'Backspace']}
            fitView
            fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
            ariaLabelConfig={{
              'node.a11yDescription.default': t('wf.visual.a11y.node'),
              'node.a11yDescription.keyboardDisabled': t('wf.visual.a11y.nodeKb'),
              'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }) => t('wf.visual.a11y.moved', { direction, x, y }),
              'edge.a11yDescription.default': t('wf.visual.a11y.edge'),
              'controls.ariaLabel': t('wf.visual.a11y.controls'),
              'controls.zoomIn.ariaLabel': t('wf.visual.a11y.zoomIn'),
              'controls.zoomOut.ariaLabel': t('wf.visual.a11y.zoomOut'),
              'controls.fitView.ariaLabel': t('wf.visual.a11y.fitView'),
              'controls.interactive.ariaLabel': t('wf.visual.a11y.interactive'),
              'minimap.ariaLabel': t('wf.visual.a11y.minimap'),
              'handle.ariaLabel': t('wf.visual.a11y.handle'),
            }}
          >
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <aside aria-labelledby="panel-title" className="rounded-md border border-slate-200 bg-white p-3">
          <h3 id="panel-title" className="mb-2 text-sm font-semibold text-slate-900">
            {t('wf.visual.panel')}
          </h3>
          {current ? (
            <StepPanel
              key={`${current.id}-${panelRev}`}
              step={current}
              def={def}
              choices={choices}
              errors={errors}
              onChange={(s) => update({ ...def, steps: def.steps.map((x) => (x.id === s.id ? s : x)) })}
              onConditions={(op, path) => {
                update(editConditions(def, op, path))
                setPanelRev((n) => n + 1)
              }}
              onAdd={(type, at) => add(type, at)}
              onConnect={(slot, target) => {
                update(connect(def, current.id, slot, target))
                setPanelRev((n) => n + 1)
              }}
              onDelete={() => {
                update(removeStep(def, current.id))
                setSelected(null)
              }}
              slotLabel={slotLabel}
            />
          ) : (
            <p className="text-sm text-slate-600">{t('wf.visual.panelEmpty')}</p>
          )}
        </aside>
      </div>
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <AuthenticityTokenInput />
        <input type="hidden" name="version" value={version} />
        <input type="hidden" name="name" value={name} />
        <input type="hidden" name="description" value={description} />
        <input type="hidden" name="draft_json" value={draftJson} />
        <Button name="intent" value="save">
          {t('wf.visual.save')}
        </Button>
        {dirty ? (
          <span role="status" className="text-sm text-amber-900">
            {t('wf.visual.unsaved')}
          </span>
        ) : null}
      </Form>
    </div>
  )
}

function StepPanel({
  step,
  def,
  choices,
  errors,
  onChange,
  onConditions,
  onAdd,
  onConnect,
  onDelete,
  slotLabel,
}: {
  step: Step
  def: WorkflowDefinition
  choices: EditorChoices
  errors: Errors
  onChange: (s: Step) => void
  onConditions: (op: 'add' | 'group' | 'remove', path: string) => void
  onAdd: (type: StepType, at: InsertAt) => void
  onConnect: (slot: Slot, target: string | null) => void
  onDelete: () => void
  slotLabel: (s: Slot) => string
}) {
  const t = useT()
  const formRef = useRef<HTMLFormElement>(null)
  const slots: Slot[] = step.type === 'branch' ? ['then', 'else'] : ['next']
  const [addType, setAddType] = useState<StepType>('send_email')
  const [addSlot, setAddSlot] = useState<Slot>(slots[0])
  const [slot, setSlot] = useState<Slot>(slots[0])
  const candidates = def.steps.filter((s) => canConnect(def, step.id, slot, s.id))
  const [target, setTarget] = useState('')

  // The panel's fields are the form editor's (named s[...]); read back the same way.
  const read = () => {
    const f = formRef.current
    if (!f) return
    const tree = parseBrackets(new FormData(f).entries())
    const s = tree.s
    if (!s || typeof s !== 'object' || Array.isArray(s)) return
    const links: Record<string, string> = step.type === 'branch' ? { then: step.then ?? '', else: step.else ?? '' } : { next: step.next ?? '' }
    const parsed = readStep({ ...s, id: step.id, type: step.type, ...links })
    if (parsed) onChange(parsed)
  }
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const intent = ((e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? ''
    read()
    const [op, path] = intent.split(/:(.*)/s)
    if (op === 'cond_add') onConditions('add', path)
    else if (op === 'cond_group') onConditions('group', path)
    else if (op === 'cond_remove') onConditions('remove', path)
  }
  return (
    <div className="space-y-4">
      <form ref={formRef} onChange={read} onSubmit={onSubmit} className="space-y-3" aria-label={t('wf.visual.panel')}>
        <div>
          <label htmlFor="f-s[label]" className="block text-xs font-medium text-slate-700">
            {t('wf.step.label')}
          </label>
          <input id="f-s[label]" name="s[label]" defaultValue={step.label ?? ''} maxLength={120} className={`${control} w-full`} />
        </div>
        <StepFields step={step} prefix="s" errors={errors} choices={choices} />
      </form>
      <div className="space-y-2 border-t border-slate-100 pt-3">
        <div className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="panel-add-type" className="block text-xs font-medium text-slate-700">
              {t('wf.visual.addAfter')}
            </label>
            <select id="panel-add-type" value={addType} onChange={(e) => setAddType(e.target.value as StepType)} className={control}>
              {STEP_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`wf.type.${type}`)}
                </option>
              ))}
            </select>
          </div>
          {slots.length > 1 ? (
            <div>
              <label htmlFor="panel-add-slot" className="block text-xs font-medium text-slate-700">
                {t('wf.visual.addPlace')}
              </label>
              <select id="panel-add-slot" value={addSlot} onChange={(e) => setAddSlot(e.target.value as Slot)} className={control}>
                {slots.map((s) => (
                  <option key={s} value={s}>
                    {slotLabel(s)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button
            type="button"
            className={small}
            onClick={() => onAdd(addType, addSlot === 'next' ? { at: 'after', stepId: step.id } : { at: addSlot, stepId: step.id })}
          >
            {t('wf.add.button')}
          </button>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          {slots.length > 1 ? (
            <div>
              <label htmlFor="panel-connect-slot" className="block text-xs font-medium text-slate-700">
                {t('wf.visual.connectSlot')}
              </label>
              <select
                id="panel-connect-slot"
                value={slot}
                onChange={(e) => {
                  setSlot(e.target.value as Slot)
                  setTarget('')
                }}
                className={control}
              >
                {slots.map((s) => (
                  <option key={s} value={s}>
                    {slotLabel(s)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label htmlFor="panel-connect-target" className="block text-xs font-medium text-slate-700">
              {t('wf.visual.connectTo')}
            </label>
            <select id="panel-connect-target" value={target} onChange={(e) => setTarget(e.target.value)} className={control} disabled={!candidates.length}>
              <option value="">{candidates.length ? '—' : t('wf.visual.connectNone')}</option>
              {candidates.map((s) => (
                <option key={s.id} value={s.id}>
                  {stepName(s, t)} ({s.id})
                </option>
              ))}
            </select>
          </div>
          <button type="button" className={small} disabled={!target} onClick={() => onConnect(slot, target)}>
            {t('wf.visual.connectTo').replace('…', '')}
          </button>
        </div>
        <div className="flex flex-wrap gap-2">
          {slots.map((s) => {
            const linked = step.type === 'branch' ? step[s as 'then' | 'else'] : step.next
            return linked ? (
              <button key={s} type="button" className={small} onClick={() => onConnect(s, null)}>
                {t('wf.visual.disconnect', { slot: slotLabel(s) })}
              </button>
            ) : null
          })}
          <button type="button" className={`${small} text-red-800`} onClick={onDelete}>
            {t('wf.visual.deleteStep')}
          </button>
        </div>
      </div>
    </div>
  )
}
