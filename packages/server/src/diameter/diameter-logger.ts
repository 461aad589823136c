/** The part of a pino logger the Diameter server uses: structured details, then a message. */
export interface DiameterLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const SILENT_LOGGER: DiameterLogger = {
  info() {},
  warn() {},
  error() {},
};
