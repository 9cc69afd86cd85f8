import { randomBytes } from 'node:crypto';

/**
 * A fresh session epoch (Store.sessionEpoch), for either store: 18 random bytes, base64url (24
 * characters). Changing a store's epoch ends every session signed under the old one.
 */
export function newSessionEpoch(): string {
  return randomBytes(18).toString('base64url');
}
