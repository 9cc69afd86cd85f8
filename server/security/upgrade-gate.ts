import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientAddress } from '../capture/client-address.js';
import type { ErrorCode } from '../../shared/wire/errors.js';
import type { HostRules } from './allowed-hosts.js';
import type { AccessControl } from './auth.js';
import { perimeterRefusal, rawRefusal } from './perimeter.js';

export interface UpgradeGateDeps {
  rules: HostRules;
  access: AccessControl;
  trustProxy: boolean;
}

const UNAUTHORIZED = 'This hookscope needs an access token: log in, or send "Authorization: Bearer <token>".';

/**
 * Decides a `/ws` upgrade before the live hub sees it, in every mode: an allowed Host, no
 * foreign Origin (browsers let any page open a WebSocket anywhere and send cookies with it;
 * clients without an Origin, such as `hookscope forward`, pass), then the credentials. A wrong
 * credential waits like a failed API login (AccessControl.recordFailure). Resolves true when the
 * upgrade may go on; otherwise the socket has been answered and closed.
 */
export async function admitUpgrade(req: IncomingMessage, socket: Duplex, deps: UpgradeGateDeps): Promise<boolean> {
  socket.on('error', () => socket.destroy());
  const refusal = perimeterRefusal(req, deps.rules, deps.trustProxy);
  if (refusal) return refuse(socket, refusal.status, refusal.code, refusal.message);
  let credentials;
  try {
    credentials = await deps.access.check(req.headers);
  } catch (error) {
    return refuse(socket, 503, 'store_unavailable', `The session could not be checked: ${(error as Error).message}`);
  }
  if (credentials === 'ok') return true;
  if (credentials === 'invalid') await sleep(deps.access.recordFailure(clientAddress(req, deps.trustProxy) ?? ''));
  return refuse(socket, 401, 'unauthorized', credentials === 'invalid' ? `Those credentials are not valid. ${UNAUTHORIZED}` : UNAUTHORIZED);
}

function refuse(socket: Duplex, status: number, code: ErrorCode, message: string): false {
  if (!socket.destroyed) socket.end(rawRefusal(status, code, message));
  return false;
}
