/**
 * One undici Agent per allow list (in practice: per worker), so that attempts share
 * keep-alive connections; every new connection goes through the egress guard. Idle sockets
 * do not hold the process open (undici unrefs them).
 */
import { Agent, type Dispatcher } from 'undici';
import type { EgressAllowList } from '../../../common/egress-allow';
import { guardedConnector } from './egress-guard';

const agents = new WeakMap<EgressAllowList, Dispatcher>();

export function guardedDispatcher(allow: EgressAllowList): Dispatcher {
  let agent = agents.get(allow);
  if (!agent) {
    agent = new Agent({ connect: guardedConnector(allow) });
    agents.set(allow, agent);
  }
  return agent;
}
