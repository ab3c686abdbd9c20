// The switches of outbound calls (workflow webhook steps, outbound webhooks), read once
// from the environment by whoever builds the engine's dependencies.
//   ALFORIS_WEBHOOKS_ALLOW_HTTP=1      the operator of a self-hosted install allows http://
//                                      (still to public addresses only); default https only.
//   ALFORIS_ALLOW_LOOPBACK_WEBHOOKS=1  tests and benches posting to a receiver on 127.0.0.1;
//                                      never set in production (it allows http to loopback).

export type OutboundPolicy = {
  allowHttp: boolean
  allowLoopback: boolean
  /** Private networks (RFC 1918, unique-local): only an endpoint an admin switched to it (self-hosted setups). */
  allowPrivate?: boolean
}

export function outboundPolicyFromEnv(env: Record<string, string | undefined> = process.env): OutboundPolicy {
  return { allowHttp: env.ALFORIS_WEBHOOKS_ALLOW_HTTP === '1', allowLoopback: env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS === '1' }
}
