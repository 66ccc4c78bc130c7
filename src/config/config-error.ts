/** Thrown at start-up when the environment is unusable; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
