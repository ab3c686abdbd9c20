import { Button, Heading, Section, Text } from '@react-email/components'
import { absolute, button, colors, EmailLayout, heading, paragraph } from './layout.js'

// A contract coming to the end of its term: the owner's alert (J-90, J-60 "préparer le
// renouvellement", J-30), or the renewal proposal to the client's contact (J-30).
export type ContractRenewalEmailProps = {
  audience: 'owner' | 'client'
  when: 'j90' | 'j60' | 'j30'
  recipientName: string
  contractTitle: string
  organisationName: string
  /** Already formatted for France ('31 mars 2027'). */
  endLabel: string
  /** The last day to terminate (tacit renewal), formatted, or null. */
  deadlineLabel: string | null
  /** '1 200,00 € par mois' */
  amountLabel: string
  tacitRenewal: boolean
  /** Seller's company name (client e-mail). */
  company: string
  /** App path of the contract (owner e-mail). */
  link: string
  appUrl: string
}

const days = { j90: 90, j60: 60, j30: 30 } as const

export const contractRenewalSubject = (p: ContractRenewalEmailProps) =>
  p.audience === 'client'
    ? `Renouvellement de votre contrat « ${p.contractTitle} »`
    : p.when === 'j60'
      ? `Préparer le renouvellement : ${p.contractTitle} (${p.organisationName})`
      : `Échéance dans ${days[p.when]} jours : ${p.contractTitle} (${p.organisationName})`

export function ContractRenewalEmail(p: ContractRenewalEmailProps) {
  if (p.audience === 'client') {
    return (
      <EmailLayout
        preview={`Renouvellement de votre contrat ${p.contractTitle}`}
        appUrl={p.appUrl}
        reason={`Vous recevez cet e-mail en tant que contact du contrat chez ${p.company}.`}
      >
        <Heading as="h1" style={heading}>
          Renouvellement de votre contrat
        </Heading>
        <Text style={paragraph}>Bonjour {p.recipientName},</Text>
        <Text style={paragraph}>
          Votre contrat « {p.contractTitle} » arrive à échéance le <strong>{p.endLabel}</strong>. Nous vous proposons de le renouveler aux conditions actuelles
          ({p.amountLabel}).
        </Text>
        {p.tacitRenewal ? (
          <Text style={paragraph}>
            Sans réponse de votre part, il sera reconduit tacitement{p.deadlineLabel ? ` (résiliation possible jusqu’au ${p.deadlineLabel})` : ''}.
          </Text>
        ) : (
          <Text style={paragraph}>Répondez simplement à cet e-mail pour confirmer le renouvellement ou en discuter.</Text>
        )}
        <Text style={paragraph}>
          Bien cordialement,{'\n'}
          {p.company}
        </Text>
      </EmailLayout>
    )
  }
  return (
    <EmailLayout preview={contractRenewalSubject(p)} appUrl={p.appUrl} reason="Vous recevez cette alerte car vous êtes responsable de ce contrat.">
      <Text style={{ ...paragraph, color: colors.brand, fontWeight: 600, margin: '8px 0 0' }}>
        {p.when === 'j60' ? 'Préparer le renouvellement' : `Échéance dans ${days[p.when]} jours`}
      </Text>
      <Heading as="h1" style={heading}>
        {p.contractTitle} — {p.organisationName}
      </Heading>
      <Text style={paragraph}>Bonjour {p.recipientName},</Text>
      <Text style={paragraph}>
        Fin de période : <strong>{p.endLabel}</strong>. Montant : {p.amountLabel}.{' '}
        {p.tacitRenewal
          ? `Reconduction tacite${p.deadlineLabel ? ` — dernier jour pour résilier : ${p.deadlineLabel}` : ''}.`
          : 'Pas de reconduction tacite : sans renouvellement, le contrat expirera.'}
      </Text>
      <Section style={{ margin: '20px 0 4px' }}>
        <Button href={absolute(p.appUrl, p.link)} style={button}>
          Voir le contrat
        </Button>
      </Section>
    </EmailLayout>
  )
}
