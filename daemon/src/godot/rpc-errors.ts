import { BridgeError, type ErrorCode } from '../errors/catalogue.js';
import { isRecord } from './is-record.js';

/** JSON-RPC error codes the addon returns, as docs/protocol.md lists them. */
export const addonErrorCodes: Record<number, ErrorCode> = {
  [-32010]: 'SCENE_NOT_FOUND',
  [-32011]: 'SCENE_LOAD_FAILED',
  [-32012]: 'NO_CURRENT_SCENE',
  [-32013]: 'SCENE_CHANGE_IN_PROGRESS',
};

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** Turns an error reply of the addon into the daemon's error, keeping Godot's message. */
export function bridgeErrorFromRpc(method: string, error: RpcErrorObject): BridgeError {
  const code = addonErrorCodes[error.code] ?? 'GODOT_ERROR';
  const prefix = code === 'GODOT_ERROR' ? `Godot failed ${method} (code ${error.code}): ` : '';
  return new BridgeError(code, `${prefix}${error.message}`, {
    details: { rpc_code: error.code, method, ...(isRecord(error.data) ? error.data : {}) },
  });
}
