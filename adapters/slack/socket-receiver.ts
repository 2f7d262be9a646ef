import type { App, Receiver } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import type { Logger } from '../../src/domain/log.js';

interface SlackEventArgs {
  ack(response?: Record<string, unknown>): Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Socket Mode that acknowledges an Events API envelope only once its listeners have finished. Bolt's own
 * SocketModeReceiver acks events before they run, so a failed database write would lose the vote;
 * unacknowledged, Slack delivers the envelope again. Commands and button presses keep Bolt's usual
 * ack(), which the listeners call before any slow work.
 */
export class AckAfterProcessingReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | undefined;

  constructor(
    options: Pick<SocketModeOptions, 'appToken' | 'clientOptions' | 'logger'>,
    private readonly log: Logger,
  ) {
    this.client = new SocketModeClient(options);
    this.client.on('slack_event', (args: SlackEventArgs) => void this.handle(args));
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  private async handle({ ack, type, body, retry_num, retry_reason }: SlackEventArgs): Promise<void> {
    const deferAck = type === 'events_api';
    try {
      await this.app?.processEvent({
        body,
        ack: deferAck ? async () => {} : ack,
        ...(retry_num !== undefined ? { retryNum: retry_num } : {}),
        ...(retry_reason !== undefined ? { retryReason: retry_reason } : {}),
      });
      if (deferAck) await ack();
    } catch (err) {
      // Not acknowledged: Slack sends the envelope again.
      this.log.warn(
        { err, type, retryNum: retry_num },
        'slack event failed; left unacknowledged for redelivery',
      );
    }
  }
}
