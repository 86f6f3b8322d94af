/** The logging the engine needs; pino's and Fastify's loggers fit it. */
export interface RunLog {
  info?(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
  debug(details: object, message: string): void;
}
