import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A fake Socket Mode server on 127.0.0.1: says hello to the client, sends envelopes and hands back the
 * client's acknowledgements.
 */
export class FakeSlackSocket {
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private connected: Promise<void>;

  private constructor(private readonly server: WebSocketServer) {
    this.connected = new Promise((resolve) => {
      server.on('connection', (socket) => {
        this.socket = socket;
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
          if (message.envelope_id) this.acks.get(message.envelope_id)?.(message.payload);
        });
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: {} }));
        resolve();
      });
    });
  }

  static async start(): Promise<FakeSlackSocket> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.on('listening', resolve));
    return new FakeSlackSocket(server);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/link`;
  }

  /**
   * Sends one envelope; resolves with the client's ack payload, or `undefined` if no ack came within
   * `ackWithinMs` (Slack would then deliver it again).
   */
  async send(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; ackWithinMs?: number } = {},
  ): Promise<{ acked: boolean; payload: unknown }> {
    await this.connected;
    const envelopeId = randomUUID();
    const acked = new Promise<{ acked: boolean; payload: unknown }>((resolve) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelopeId);
        resolve({ acked: false, payload: undefined });
      }, options.ackWithinMs ?? 3000);
      this.acks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        this.acks.delete(envelopeId);
        resolve({ acked: true, payload: ackPayload });
      });
    });
    this.socket?.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' }
          : {}),
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
