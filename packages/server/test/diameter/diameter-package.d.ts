/** The few parts of the npm `diameter` package (0.7, GPL-3.0, a test peer only) the tests use. */
declare module 'diameter' {
  import type { Socket } from 'node:net';

  export type AvpArray = Array<[string, unknown]>;

  export interface NpmDiameterMessage {
    header: {
      commandCode: number;
      applicationId: number;
      hopByHopId: number;
      flags: { request: boolean; error: boolean };
    };
    body: AvpArray;
    command: string;
  }

  export interface NpmDiameterConnection {
    createRequest(application: string, command: string, sessionId?: string): NpmDiameterMessage;
    sendRequest(request: NpmDiameterMessage, timeoutMs?: number): PromiseLike<NpmDiameterMessage>;
    end(): void;
  }

  export interface NpmDiameterSocket extends Socket {
    diameterConnection: NpmDiameterConnection;
  }

  const diameter: {
    createConnection(
      options: { host: string; port: number; timeout?: number },
      listener: () => void,
    ): NpmDiameterSocket;
  };
  export default diameter;
}
