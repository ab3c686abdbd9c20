// The switches of outbound calls (workflow webhook steps, outbound webhooks), read once
// from the environment by whoever builds the engine's dependencies.
//   ALFORIS_WEBHOOKS_ALLOW_HTTP=1      the operator of a self-hosted install allows http://
//                                      (still to public addresses only); default https only.
//   ALFORIS_ALLOW_LOOPBACK_WEBHOOKS=1  tests and benches posting to a receiver on 127.0.0.1;
//                                      never set in production (it allows http to loopback).
//   ALFORIS_WEBHOOKS_PRIVATE_NETWORK=1 a self-hosted install: its admins may switch an outbound
//                                      webhook endpoint to the private network (RFC 1918, unique-
//                                      local). Off on a shared (SaaS) install: a workspace admin
//                                      must never reach the host's own network.

export type OutboundPolicy = {
  allowHttp: boolean
  allowLoopback: boolean
  /** Private networks (RFC 1918, unique-local): only an endpoint an admin switched to it (self-hosted setups). */
  allowPrivate?: boolean
  /** The operator offers admins that switch (ALFORIS_WEBHOOKS_PRIVATE_NETWORK=1). */
  privateNetworkSwitch?: boolean
}

export function outboundPolicyFromEnv(env: Record<string, string | undefined> = process.env): OutboundPolicy {
  return {
    allowHttp: env.ALFORIS_WEBHOOKS_ALLOW_HTTP === '1',
    allowLoopback: env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS === '1',
    privateNetworkSwitch: env.ALFORIS_WEBHOOKS_PRIVATE_NETWORK === '1',
  }
}
