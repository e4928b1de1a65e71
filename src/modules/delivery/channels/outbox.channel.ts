import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyTransportError } from '../domain/http-failures';
import { DeliveryError } from '../domain/delivery-error';
import { composeEmail, EmailSender } from '../domain/email-envelope';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { outboxPath } from '../domain/outbox-names';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { Mailer } from './email/mailer';
import { outboxPreview } from './outbox-preview';

/**
 * Development delivery with no credentials: every message becomes a file a person can open, an
 * `.eml` built by the same MIME composer as SMTP, or a `.json` holding the exact provider request.
 * Files are written to a hidden temporary name and renamed, so a reader never sees half a message.
 */
export class OutboxChannel implements DeliveryChannel {
  readonly provider = 'outbox' as const;
  private readonly folders = new Set<string>();

  constructor(
    private readonly directory: string,
    private readonly mailer: Mailer,
    private readonly sender: EmailSender,
    private readonly context: ChannelContext,
    private readonly preview: { apnsTopic?: string; webhookSecret?: string } = {},
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    const acceptedAt = this.context.now();
    const { folder, file } = outboxPath(message, acceptedAt);
    let providerMessageId = `${folder}/${file}`;
    let content: Buffer | string;
    if (message.channel === 'email') {
      const result = await this.mailer.send(composeEmail(message, this.sender));
      content = result.raw ?? Buffer.alloc(0);
      providerMessageId = result.messageId;
    } else {
      content = `${JSON.stringify(outboxPreview(message, acceptedAt, this.preview), null, 2)}\n`;
    }
    const path = await this.writeAtomically(folder, file, content);
    return { provider: this.provider, providerMessageId, acceptedAt, response: path };
  }

  close(): Promise<void> {
    this.mailer.close();
    return Promise.resolve();
  }

  private async writeAtomically(folder: string, file: string, content: Buffer | string): Promise<string> {
    const dir = join(this.directory, folder);
    const path = join(dir, file);
    const temporary = join(dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      if (!this.folders.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.folders.add(dir);
      }
      await writeThenRename(temporary, path, content);
      return path;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      const failure = classifyTransportError(error);
      throw new DeliveryError(failure.code, this.provider, `outbox write failed: ${failure.message}`, failure.details);
    }
  }
}

/**
 * Writes `temporary` and renames it to `path`, with the callback API: the promise API's file handles
 * cost about a third more CPU per file, which shows when every message of a run is a file.
 */
function writeThenRename(temporary: string, path: string, content: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    writeFile(temporary, content, (error) => {
      if (error) reject(error);
      else rename(temporary, path, (renamed) => (renamed ? reject(renamed) : resolve()));
    });
  });
}
