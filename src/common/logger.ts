/** The small logging surface the engine uses; pino satisfies it (src/common/create-logger.ts). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
