/**
 * The connection pools: one keep-alive undici Agent per origin for the whole process, shared by every
 * client, created on first use. Clients never hold an Agent themselves.
 */
import { Agent } from "undici";

/** Connections kept per origin; requests beyond this queue inside undici. */
export const POOL_CONNECTIONS = 32;

/** Bodies larger than this are refused (a list of every mailbox stays far below it). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const agents = new Map<string, Agent>();

/** The shared Agent for `origin` (`https://host:port`), created lazily. */
export function agentFor(origin: string): Agent {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new Agent({
      connections: POOL_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 60_000,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
    agents.set(origin, agent);
  }
  return agent;
}

/** Closes every pool (for tests and orderly shutdown); later requests open new ones. */
export async function closeAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((agent) => agent.destroy()));
}
