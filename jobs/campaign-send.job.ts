import { CAMPAIGN_SEND_QUEUE, type CampaignSendJob } from '../domain/campaigns/campaign.commands.js'
import { runCampaignSlice } from '../domain/campaigns/send-engine.js'
import type { JobDefinition } from './job.js'

// campaigns.send: one slice of a campaign, then the next slice is enqueued (now, or at
// the next Paris day when the daily quota is used up). Pausing or cancelling the
// campaign ends the chain; resuming starts a new one.
export const campaignSendJob: JobDefinition<CampaignSendJob> = {
  queue: CAMPAIGN_SEND_QUEUE,
  async handle(data, deps) {
    const out = await runCampaignSlice(deps.db, data.campaignId, { now: () => new Date() })
    if (out.status === 'more') await deps.send(CAMPAIGN_SEND_QUEUE, data, { singletonKey: data.campaignId })
    if (out.status === 'quota') await deps.send(CAMPAIGN_SEND_QUEUE, data, { singletonKey: data.campaignId, startAfter: out.resumeAt })
    return out
  },
}
