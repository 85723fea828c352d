/**
 * A failure to start that the user fixes with a flag, a setting or by
 * stopping another program. The command line prints its message without a
 * stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Describes a file system error on the state folder, with the settings that move it. */
export function stateDirError(stateDir: string, error: unknown): StartupError {
  const reason = (error as Error).message;
  return new StartupError(
    `The state folder ${stateDir} cannot be created or written (${reason}). ` +
      'Point GODOT_BRIDGE_STATE_DIR or stateDir in godot-bridge.json at a writable folder.',
  );
}

/** Describes an error of `listen` on the configured host and port, with the fix. */
export function listenError(host: string, port: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        `Port ${port} on ${host} is already in use. Stop the program that uses it, ` +
          'or pass another --port (or set "port" in godot-bridge.json).',
      );
    case 'EACCES':
      return new StartupError(
        `Listening on port ${port} of ${host} is not permitted. Pass a port above 1023 with --port.`,
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `${host} is not an address of this machine. Pass --host with one of its addresses, ` +
          '127.0.0.1 or 0.0.0.0.',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `The host name ${host} cannot be resolved. Pass --host with an IP address such as 127.0.0.1.`,
      );
    default:
      return error as Error;
  }
}
